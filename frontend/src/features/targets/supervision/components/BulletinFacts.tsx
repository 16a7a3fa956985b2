import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { percent } from '../../logic';
import type { BulletinContentLike } from '../types';

/** The bulletin's reading guide: the expected pace and the light rule, the lights counted, what the change compares with. */
export function BulletinFacts({ content }: { content: BulletinContentLike }) {
  const { t } = useTranslation();
  const { counts, previous } = content;
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }} data-testid="bulletin-facts">
      <Space wrap size={[8, 4]}>
        <Typography.Text strong data-testid="bulletin-pace">
          {t('supervision.bulletins.pace', { pace: percent(content.expected_pace) })}
        </Typography.Text>
        <Tag color="success">{`${t('targets.light.green')} ${counts.green}`}</Tag>
        <Tag color="warning">{`${t('targets.light.yellow')} ${counts.yellow}`}</Tag>
        <Tag color="error">{`${t('targets.light.red')} ${counts.red}`}</Tag>
        {counts.unranked > 0 && <Tag>{t('supervision.bulletins.unranked', { count: counts.unranked })}</Tag>}
      </Space>
      <Typography.Text type="secondary">
        {t('supervision.bulletins.redBelow', { share: percent(content.red_below, 0) })}
      </Typography.Text>
      <Typography.Text type="secondary" data-testid="bulletin-previous">
        {previous === null
          ? t('supervision.bulletins.noPrevious')
          : previous.number !== null
            ? t('supervision.bulletins.previous', { number: previous.number, day: previous.as_of })
            : t('supervision.bulletins.previousComputed', { day: previous.as_of })}
      </Typography.Text>
    </Space>
  );
}
