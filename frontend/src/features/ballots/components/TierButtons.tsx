import { useTranslation } from 'react-i18next';

import { TIERS, type Tier } from '../../../api/types';

interface Props {
  name: string;
  label: string;
  value: Tier | undefined;
  onChange: (tier: Tier) => void;
  disabled?: boolean;
  invalid?: boolean;
}

/** 好 / 较好 / 一般 / 较差 as four big buttons that behave as one radio group. */
export function TierButtons({ name, label, value, onChange, disabled, invalid }: Props) {
  const { t } = useTranslation();
  return (
    <div className="v-tiers" role="radiogroup" aria-label={label} aria-invalid={invalid || undefined} data-testid={`tier-${name}`}>
      {TIERS.map((tier) => (
        <button
          key={tier}
          type="button"
          role="radio"
          aria-checked={value === tier}
          className={`v-tier v-tier-${tier}${value === tier ? ' v-tier-on' : ''}`}
          disabled={disabled}
          onClick={() => onChange(tier)}
        >
          {t(`vote.tier.${tier}`)}
        </button>
      ))}
    </div>
  );
}
