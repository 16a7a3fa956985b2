/** Indicator formulas by name: what a person reads in place of the formula's key. */
import type { TFunction } from 'i18next';

export const FORMULAS = [
  'manual',
  'petition_resolution_rate',
  'petition_timely_acceptance_rate',
  'petition_on_time_completion_rate',
  'petition_satisfaction_rate',
  'petition_rating_rate',
  'ledger_completion',
  'target_completion',
] as const;

/** An indicator's formula by its name (信访化解率, 整改完成率, 手工录入); an unknown one as it is. */
export function formulaName(t: TFunction, formula: string | null | undefined): string {
  if (!formula) return t('results.formulas.manual');
  return (FORMULAS as readonly string[]).includes(formula) ? t(`results.formulas.${formula as (typeof FORMULAS)[number]}`) : formula;
}
