import type { TFunction } from 'i18next';

import type { Withheld } from '../api/types';

/** What the tally and the results say of a withheld figure, in its place. */
interface Withholding {
  withheld?: Withheld | boolean | null;
  hidden_below?: number | null;
}

/** Whether a group's (or a report's) figures are withheld. */
export function isWithheld(figure: Withholding | null | undefined): boolean {
  return Boolean(figure?.withheld);
}

/**
 * The words shown in place of a figure withheld because too few ballots stand behind it (the cycle's
 * `min_ballots_shown`): "不足 3 票，不显示", or, for a group withheld with one that has too few, why.
 */
export function withheldText(t: TFunction, figure: Withholding | null | undefined, fallbackBelow = 3): string {
  const k = figure?.hidden_below ?? fallbackBelow;
  return figure?.withheld === 'complement' ? t('withheld.complement', { k }) : t('withheld.fewBallots', { k });
}
