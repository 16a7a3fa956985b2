import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { isTier, TIER_TAG_COLORS } from '../model';

/** A tier in its colour: 好 green, 较好 blue, 一般 orange, 较差 red; no tier (incomplete) in grey. */
export function TierTag({ tier }: { tier: string | null | undefined }) {
  const { t } = useTranslation();
  if (!isTier(tier)) return <Tag data-testid="tier-none">{t('results.noTier')}</Tag>;
  return (
    <Tag color={TIER_TAG_COLORS[tier]} data-testid={`tier-${tier}`}>
      {t(`tiers.${tier}`)}
    </Tag>
  );
}
