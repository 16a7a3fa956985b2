import { useTranslation } from 'react-i18next';

/** The receipt code, large and selectable, with what it is for. */
export function Receipt({ receipt, named = false, onNext }: { receipt: string; named?: boolean; onNext?: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="v-receipt" role="status" aria-live="polite" data-testid="receipt">
      <p className="v-receipt-ok">✓ {t('vote.accepted')}</p>
      <p className="v-receipt-label">{t('vote.receipt')}</p>
      <p className="v-receipt-code" data-testid="receipt-code">
        {receipt}
      </p>
      <p className="v-hint">{named ? t('vote.receiptHintNamed') : t('vote.receiptHint')}</p>
      {onNext && (
        <button type="button" className="v-button v-button-secondary" onClick={onNext}>
          {t('vote.next')}
        </button>
      )}
    </section>
  );
}
