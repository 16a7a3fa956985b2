import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../../lib/errors';
import { useVerifyChain } from '../api';

/** A button that re-checks the audit hash chain and says whether it is intact or where it breaks. */
export function VerifyChain() {
  const { t } = useTranslation();
  const verify = useVerifyChain();
  const result = verify.data;

  let outcome = null;
  if (verify.isError) {
    const { title, detail } = describeError(t, verify.error);
    outcome = <Alert type="error" showIcon message={title} description={detail} />;
  } else if (result?.ok) {
    outcome = <Alert type="success" showIcon message={t('audit.verifyOk', { count: result.entries })} />;
  } else if (result) {
    outcome = (
      <Alert
        type="error"
        showIcon
        message={
          result.first_broken_id != null
            ? t('audit.verifyBroken', { id: result.first_broken_id })
            : t('audit.verifyBrokenNoId')
        }
        description={result.reason ? t('audit.verifyReason', { reason: result.reason }) : undefined}
      />
    );
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
        {t('audit.verify')}
      </Button>
      <div role="status" aria-live="polite" data-testid="verify-result">
        {outcome}
      </div>
    </Space>
  );
}
