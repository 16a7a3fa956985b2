import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ResultsSummary } from '../../../api/types';

/**
 * Which indicators some reports lack (each scored 0 there) and, once published, the reason given for
 * publishing all the same; a quorum override's reason too.
 */
export function MissingIndicators({ summary }: { summary: ResultsSummary }) {
  const { t } = useTranslation();
  const missing = summary.missing_indicators ?? [];
  const quorumReason = summary.quorum_override_reason;
  if (missing.length === 0 && !quorumReason) return null;
  const published = summary.status === 'published';
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="missing-indicators"
      message={missing.length > 0 ? t(published ? 'results.missing.published' : 'results.missing.computed') : t('results.missing.quorumOnly')}
      description={
        <>
          {missing.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {missing.map((indicator) => (
                <li key={indicator.key}>{t('results.missing.line', { title: indicator.title, orgs: indicator.org_names.join('、') })}</li>
              ))}
            </ul>
          )}
          {summary.missing_indicators_reason && (
            <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid="missing-indicators-reason">
              {t('results.missing.reason', { reason: summary.missing_indicators_reason })}
            </Typography.Paragraph>
          )}
          {quorumReason && (
            <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid="quorum-override-reason">
              {t('results.missing.quorumReason', { reason: quorumReason })}
            </Typography.Paragraph>
          )}
        </>
      }
    />
  );
}
