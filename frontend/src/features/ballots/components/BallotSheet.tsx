import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { BallotCreate, BallotForm, Tier } from '../../../api/types';
import { checkBallot, isTier, type ItemError, type ItemValue } from '../validation';
import { ScoreField } from './ScoreField';
import { TierButtons } from './TierButtons';

export interface Draft {
  values: Record<string, ItemValue>;
  comment: string;
  category: string;
}

export const EMPTY_DRAFT: Draft = { values: {}, comment: '', category: '' };

interface Props {
  form: BallotForm;
  reportId: number;
  draft: Draft;
  onDraftChange: (draft: Draft) => void;
  onSubmit: (body: BallotCreate) => void;
  sending: boolean;
  disabled: boolean;
}

const MAX_COMMENT = 2000;

/** One report's ballot: every item, an optional comment with its category, and the submit button. */
export function BallotSheet({ form, reportId, draft, onDraftChange, onSubmit, sending, disabled }: Props) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, ItemError>>({});
  const locked = disabled || sending;

  const setValue = (key: string, value: ItemValue) => {
    onDraftChange({ ...draft, values: { ...draft.values, [key]: value } });
    if (errors[key]) {
      const rest = { ...errors };
      delete rest[key];
      setErrors(rest);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (locked) return;
    const checked = checkBallot(form.items, draft.values);
    if (checked.errors) {
      setErrors(checked.errors);
      const first = form.items.find((item) => checked.errors[item.key]);
      if (first) document.getElementById(`item-${first.key}`)?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
      return;
    }
    setErrors({});
    const comment = draft.comment.trim();
    onSubmit({
      report_id: reportId,
      items: checked.items,
      ...(comment ? { comment } : {}),
      ...(comment && draft.category ? { comment_category: draft.category } : {}),
    });
  };

  const errorCount = Object.keys(errors).length;
  return (
    <form className="v-sheet" onSubmit={submit} noValidate data-testid="ballot-sheet">
      <h2 className="v-section-title">{t('vote.items')}</h2>
      {form.items.map((item) => (
        <fieldset key={item.key} id={`item-${item.key}`} className={`v-item${errors[item.key] ? ' v-item-error' : ''}`}>
          <legend className="v-item-title">
            {item.kind === 'score' ? <label htmlFor={`score-${item.key}`}>{item.title}</label> : item.title}
          </legend>
          {item.description && (
            <p className="v-item-desc" id={`desc-${item.key}`}>
              {item.description}
            </p>
          )}
          {item.kind === 'tier' ? (
            <>
              <TierButtons
                name={item.key}
                label={item.title}
                value={isTier(draft.values[item.key]) ? (draft.values[item.key] as Tier) : undefined}
                onChange={(tier) => setValue(item.key, tier)}
                disabled={locked}
                invalid={Boolean(errors[item.key])}
              />
              {errors[item.key] && (
                <p className="v-field-error" role="alert">
                  {t(`vote.invalid.${errors[item.key]!}`, { max: item.max_points })}
                </p>
              )}
            </>
          ) : (
            <ScoreField
              id={`score-${item.key}`}
              maxPoints={item.max_points}
              value={typeof draft.values[item.key] === 'string' ? (draft.values[item.key] as string) : ''}
              onChange={(value) => setValue(item.key, value)}
              error={errors[item.key]}
              disabled={locked}
              describedBy={item.description ? `desc-${item.key}` : undefined}
            />
          )}
        </fieldset>
      ))}

      <div className="v-item">
        <label className="v-item-title" htmlFor="ballot-comment">
          {t('vote.comment')}
        </label>
        <textarea
          id="ballot-comment"
          className="v-textarea"
          rows={3}
          maxLength={MAX_COMMENT}
          placeholder={t('vote.commentPlaceholder')}
          value={draft.comment}
          disabled={locked}
          onChange={(event) => onDraftChange({ ...draft, comment: event.target.value })}
        />
        {form.opinion_categories.length > 0 && (
          <>
            <label className="v-label" htmlFor="ballot-category">
              {t('vote.category')}
            </label>
            <select
              id="ballot-category"
              className="v-select"
              value={draft.category}
              disabled={locked}
              onChange={(event) => onDraftChange({ ...draft, category: event.target.value })}
            >
              <option value="">{t('vote.noCategory')}</option>
              {form.opinion_categories.map((category) => (
                <option key={category} value={category}>
                  {category}
                </option>
              ))}
            </select>
          </>
        )}
      </div>

      {errorCount > 0 && (
        <p className="v-field-error v-center" role="alert">
          {t('vote.fixErrors', { count: errorCount })}
        </p>
      )}
      <button type="submit" className="v-button v-button-primary" disabled={locked} data-testid="submit-ballot">
        {sending ? t('vote.submitting') : t('vote.submit')}
      </button>
    </form>
  );
}
