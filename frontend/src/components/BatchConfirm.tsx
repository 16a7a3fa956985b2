import { Alert, List, Modal, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiError } from '../api/problem';
import { describeError } from '../lib/errors';

/** What a refused batch says: a headline, and each refused entry's reason as the server wrote it (in the UI's language). */
export function batchRefusal(t: TFunction, cause: unknown): { title: string; reasons: string[] } {
  const { title, detail } = describeError(t, cause);
  if (isApiError(cause) && cause.problem.extensions?.code === 'batch-refused' && cause.problem.errors?.length) {
    return {
      title: t('batch.refused', { count: cause.problem.errors.length }),
      reasons: cause.problem.errors.map((e) => e.msg),
    };
  }
  return { title, reasons: detail ? [detail] : [] };
}

// A long list stays readable: the first entries, then how many more.
const SHOWN = 50;

interface BatchConfirmProps {
  open: boolean;
  title: string;
  /** The sentence that says what will happen, with the count. */
  intro: string;
  /** One line per entry the action touches (a unit's name, an item's number and title). */
  lines: string[];
  okText: string;
  onOk: () => void;
  onCancel: () => void;
  loading?: boolean;
  danger?: boolean;
  /** The server's refusal, when the last try was refused. */
  error?: { title: string; reasons: string[] } | null;
  /** Fields the action needs (a reason, a deadline), below the list. */
  children?: ReactNode;
  testId?: string;
}

/** A confirmation that says exactly what a batch will do: how many, and which, by name. */
export function BatchConfirm({ open, title, intro, lines, okText, onOk, onCancel, loading, danger, error, children, testId }: BatchConfirmProps) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, id: testId ? `${testId}-ok` : undefined }}
      confirmLoading={loading}
      onOk={onOk}
      onCancel={onCancel}
      destroyOnHidden
      width={640}
    >
      <div data-testid={testId}>
        <Typography.Paragraph>{intro}</Typography.Paragraph>
        {lines.length > 0 && (
          <List
            size="small"
            bordered
            style={{ maxHeight: 280, overflowY: 'auto', marginBottom: 16 }}
            dataSource={lines.slice(0, SHOWN)}
            renderItem={(line) => <List.Item style={{ wordBreak: 'break-word' }}>{line}</List.Item>}
            footer={lines.length > SHOWN ? t('batch.more', { count: lines.length - SHOWN }) : undefined}
            data-testid={testId ? `${testId}-lines` : undefined}
          />
        )}
        {children}
        {error && (
          <Alert
            type="error"
            showIcon
            message={error.title}
            description={
              error.reasons.length > 0 ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {error.reasons.map((reason, i) => (
                    <li key={i}>{reason}</li>
                  ))}
                </ul>
              ) : undefined
            }
            data-testid={testId ? `${testId}-error` : undefined}
          />
        )}
      </div>
    </Modal>
  );
}
