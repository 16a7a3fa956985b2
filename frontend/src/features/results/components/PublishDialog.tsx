import { Alert, App, Form, Input, Modal, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formFieldErrors, isApiError } from '../../../api/problem';
import type { ResultsRead, ResultsSummary } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { usePublishResults } from '../api';
import { blockersOf, groupName, parseConsistencyFlag } from '../model';

interface Props {
  cycleId: number;
  results: ResultsRead;
  onClose: () => void;
  onPublished?: (summary: ResultsSummary) => void;
}

const REASON = 'quorum_override_reason';
const MISSING_REASON = 'missing_indicators_reason';

/**
 * Confirm publication: what will be frozen, what blocks it (incomplete reports), what needs an override
 * (groups short of quorum, with a recorded reason; indicators some report lacks, with a reason that the
 * published results show) and the consistency checks to look at first.
 */
export function PublishDialog({ cycleId, results, onClose, onPublished }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason?: string; missingReason?: string }>();
  const publish = usePublishResults(cycleId);
  const blockers = useMemo(() => blockersOf(results.items), [results.items]);
  const incomplete = blockers.filter((blocker) => blocker.kind === 'incomplete');
  const quorum = blockers.filter((blocker) => blocker.kind === 'quorum');
  const flagged = results.items.filter((item) => item.consistency_flags.length > 0);
  // The server has the last word: a 409 naming the reason field asks for it even if the items did not show why.
  const [askReason, setAskReason] = useState(quorum.length > 0);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const missing = results.missing_indicators ?? [];
  const [askMissingReason, setAskMissingReason] = useState(missing.length > 0);
  const [missingReasonError, setMissingReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unexplained = blockers.length === 0 && results.blockers.length > 0;

  const submit = async () => {
    setError(null);
    setReasonError(null);
    setMissingReasonError(null);
    let reason: string | undefined;
    let missingReason: string | undefined;
    if (askReason || askMissingReason) {
      try {
        const values = await form.validateFields();
        reason = values.reason?.trim();
        missingReason = values.missingReason?.trim();
      } catch {
        return; // the form shows what is missing
      }
    }
    const body = {
      ...(reason ? { quorum_override_reason: reason } : {}),
      ...(missingReason ? { missing_indicators_reason: missingReason } : {}),
    };
    publish.mutate(body, {
      onSuccess: (published) => {
        void message.success(t('results.publish.done'));
        onPublished?.(published);
        onClose();
      },
      onError: (cause) => {
        if (isApiError(cause) && cause.status === 409) {
          const fields = formFieldErrors(cause.problem);
          if (fields.some((entry) => entry.name[0] === MISSING_REASON)) {
            setAskMissingReason(true);
            setMissingReasonError(t('results.publish.missingReasonRequired'));
            setError(cause.problem.detail ?? null);
            return;
          }
          const field = fields.find((entry) => entry.name[0] === REASON);
          if (field) {
            setAskReason(true);
            setReasonError(t('results.publish.reasonRequired'));
            setError(cause.problem.detail ?? null);
            return;
          }
        }
        const { title, detail } = describeError(t, cause);
        setError(detail ? `${title}: ${detail}` : title);
      },
    });
  };

  return (
    <Modal
      open
      title={t('results.publish.title')}
      okText={t('results.publish.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ disabled: incomplete.length > 0, danger: askReason || askMissingReason }}
      confirmLoading={publish.isPending}
      destroyOnHidden
      width={640}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="publish-dialog">
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('results.publish.intro', { count: results.items.length })}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('results.publish.hash', { hash: results.hash.slice(0, 16) })}
        </Typography.Text>
        {incomplete.length > 0 && (
          <Alert
            type="error"
            showIcon
            message={t('results.publish.incomplete')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {incomplete.map((blocker) => (
                  <li key={blocker.orgName}>{blocker.orgName}</li>
                ))}
              </ul>
            }
            data-testid="publish-incomplete"
          />
        )}
        {quorum.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={t('results.publish.quorum')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {quorum.map((blocker) => (
                  <li key={blocker.orgName}>
                    {blocker.orgName}
                    {blocker.groups.length > 0 && `：${blocker.groups.join('，')}`}
                  </li>
                ))}
              </ul>
            }
            data-testid="publish-quorum"
          />
        )}
        {missing.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={t('results.publish.missing')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {missing.map((indicator) => (
                  <li key={indicator.key}>
                    {t('results.missing.line', { title: indicator.title, orgs: indicator.org_names.join('、') })}
                  </li>
                ))}
              </ul>
            }
            data-testid="publish-missing"
          />
        )}
        {unexplained && (
          <Alert
            type="warning"
            showIcon
            message={t('results.publish.serverBlockers')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {results.blockers.map((blocker) => (
                  <li key={blocker}>{blocker}</li>
                ))}
              </ul>
            }
          />
        )}
        {flagged.length > 0 && (
          <Alert
            type="info"
            showIcon
            message={t('results.publish.consistency')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {flagged.map((item) => (
                  <li key={item.report_id}>
                    {item.org_name}：
                    {item.consistency_flags
                      .map((raw) => {
                        const flag = parseConsistencyFlag(raw);
                        return flag.kind === 'other' ? raw : t(`results.consistency.${flag.kind}`, { group: groupName(item, flag.group) });
                      })
                      .join('，')}
                  </li>
                ))}
              </ul>
            }
            data-testid="publish-consistency"
          />
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="publish-error" />}
        {(askReason || askMissingReason) && (
          <Form form={form} layout="vertical">
            {askMissingReason && (
              <Form.Item
                name="missingReason"
                label={t('results.publish.missingReason')}
                extra={t('results.publish.missingReasonHint')}
                validateStatus={missingReasonError ? 'error' : undefined}
                help={missingReasonError ?? undefined}
                rules={[
                  { required: true, whitespace: true, message: t('results.publish.missingReasonRequired') },
                  { min: 4, message: t('results.publish.reasonShort') },
                ]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  onChange={() => setMissingReasonError(null)}
                  data-testid="publish-missing-reason"
                />
              </Form.Item>
            )}
            {askReason && (
              <Form.Item
                name="reason"
                label={t('results.publish.reason')}
                extra={t('results.publish.reasonHint')}
                validateStatus={reasonError ? 'error' : undefined}
                help={reasonError ?? undefined}
                rules={[
                  { required: true, whitespace: true, message: t('results.publish.reasonRequired') },
                  { min: 4, message: t('results.publish.reasonShort') },
                ]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  onChange={() => setReasonError(null)}
                  data-testid="publish-reason"
                />
              </Form.Item>
            )}
          </Form>
        )}
      </Space>
    </Modal>
  );
}
