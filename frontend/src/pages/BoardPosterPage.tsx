import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Space, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { boardUrl } from '../features/ledger/board';
import '../features/ledger/components/board-poster.css';

/** /board/poster — a printable A4 poster of the public board's QR code, for staff to put up in a hall. */
export default function BoardPosterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const url = boardUrl();
  const [svg, setSvg] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((made) => {
      if (alive) setSvg(made);
    });
    return () => {
      alive = false;
    };
  }, [url]);

  return (
    <div className="board-poster-page">
      <Space className="board-poster-controls" wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          {t('documents.board.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!svg} data-testid="print-poster">
          {t('documents.board.print')}
        </Button>
      </Space>
      <article className="board-poster" data-testid="board-poster">
        <Typography.Title level={1} className="board-poster-title" data-testid="board-poster-title">
          {t('documents.board.posterTitle')}
        </Typography.Title>
        {svg ? (
          // The SVG comes from the QR encoder of our own URL, not from user input.
          <div className="board-poster-qr" role="img" aria-label={url} data-url={url} data-testid="board-qr" dangerouslySetInnerHTML={{ __html: svg }} />
        ) : (
          <Spin tip={t('documents.board.making')}>
            <div className="board-poster-qr" />
          </Spin>
        )}
        <p className="board-poster-caption">{t('documents.board.caption')}</p>
        <p className="board-poster-url">{url}</p>
        <p className="board-poster-note">{t('documents.board.note')}</p>
      </article>
    </div>
  );
}
