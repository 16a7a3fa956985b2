import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Spin } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

import type { TokensIssued } from '../../../api/types';
import { ballotUrl } from '../api';
import './token-sheet.css';

interface Card {
  token: string;
  url: string;
  svg: string;
}

/** QR codes as SVG, made in the browser: the tokens never leave this page. */
export async function qrCards(tokens: readonly string[], origin?: string): Promise<Card[]> {
  return Promise.all(
    tokens.map(async (token) => {
      const url = ballotUrl(token, origin);
      const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { token, url, svg };
    }),
  );
}

function Cards({ cards, meetingTitle, groupName }: { cards: Card[]; meetingTitle: string; groupName: string }) {
  const { t } = useTranslation();
  return (
    <div className="ts-grid">
      {cards.map((card, index) => (
        <figure key={card.token} className="ts-card" data-testid="token-card" data-url={card.url}>
          <div className="ts-card-head">
            <strong>{t('meetings.tokens.cardTitle')}</strong>
            <span>{t('meetings.tokens.cardNumber', { n: index + 1 })}</span>
          </div>
          {/* The SVG comes from the QR encoder of our own URL, not from user input. */}
          <div className="ts-qr" role="img" aria-label={card.url} dangerouslySetInnerHTML={{ __html: card.svg }} />
          <figcaption>
            <div className="ts-meeting">{meetingTitle}</div>
            <div>{groupName}</div>
            <div className="ts-hint">{t('meetings.tokens.cardHint')}</div>
            <div className="ts-code">
              {t('meetings.tokens.code')}: {card.token}
            </div>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}

interface Props {
  issued: TokensIssued;
  meetingTitle: string;
  groupName: string;
  onClose: () => void;
}

/** The tokens just issued, shown once: a preview, and a print-only copy outside the app for window.print(). */
export function TokenSheet({ issued, meetingTitle, groupName, onClose }: Props) {
  const { t } = useTranslation();
  const [cards, setCards] = useState<Card[] | null>(null);

  useEffect(() => {
    let alive = true;
    void qrCards(issued.tokens).then((made) => {
      if (alive) setCards(made);
    });
    return () => {
      alive = false;
    };
  }, [issued.tokens]);

  // While the sheet is open, printing prints the sheet and nothing of the app around it.
  useEffect(() => {
    document.body.classList.add('ts-printing');
    return () => document.body.classList.remove('ts-printing');
  }, []);

  const title = t('meetings.tokens.sheetTitle', { meeting: meetingTitle, group: groupName, count: issued.tokens.length });
  return (
    <>
      <Modal
        open
        width={980}
        title={title}
        onCancel={onClose}
        maskClosable={false}
        keyboard={false}
        footer={
          <Space>
            <Button onClick={onClose}>{t('meetings.tokens.close')}</Button>
            <Button type="primary" icon={<PrinterOutlined />} disabled={!cards} onClick={() => window.print()} data-testid="print-tokens">
              {t('meetings.tokens.print')}
            </Button>
          </Space>
        }
      >
        <Alert type="warning" showIcon message={t('meetings.tokens.sheetOnce')} style={{ marginBottom: 16 }} />
        <div className="ts-preview" data-testid="token-sheet">
          {cards ? <Cards cards={cards} meetingTitle={meetingTitle} groupName={groupName} /> : <Spin />}
        </div>
      </Modal>
      {cards &&
        createPortal(
          <div className="ts-print" aria-hidden>
            <h1 className="ts-print-title">{title}</h1>
            <Cards cards={cards} meetingTitle={meetingTitle} groupName={groupName} />
          </div>,
          document.body,
        )}
    </>
  );
}
