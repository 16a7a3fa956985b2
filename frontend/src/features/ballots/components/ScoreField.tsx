import { useTranslation } from 'react-i18next';

import type { ItemError } from '../validation';
import { formatPoints } from '../validation';

interface Props {
  id: string;
  maxPoints: string;
  value: string;
  onChange: (value: string) => void;
  error?: ItemError;
  disabled?: boolean;
  describedBy?: string;
}

/** A numeric score with its maximum beside it; a decimal keypad on phones. */
export function ScoreField({ id, maxPoints, value, onChange, error, disabled, describedBy }: Props) {
  const { t } = useTranslation();
  const max = formatPoints(maxPoints);
  const errorId = `${id}-error`;
  return (
    <div className="v-score">
      <input
        id={id}
        className="v-score-input"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        enterKeyHint="next"
        placeholder={t('vote.scorePlaceholder', { max })}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, describedBy].filter(Boolean).join(' ') || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      <span className="v-score-max">{t('vote.maxPoints', { max })}</span>
      {error && (
        <p id={errorId} className="v-field-error" role="alert">
          {t(`vote.invalid.${error}`, { max })}
        </p>
      )}
    </div>
  );
}
