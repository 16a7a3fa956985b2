/** Veto facts by name: what a person reads in place of a fact's key (项目落地一票否决（无项目落地）). */
import type { TFunction } from 'i18next';

export const VETO_FACTS = ['target_no_landing'] as const;

/**
 * A veto fact by its name in the UI's language; a fact the UI does not know by its description from
 * the server (GET /rubrics/veto-facts), else by its key.
 */
export function vetoFactName(t: TFunction, fact: string, description?: string | null): string {
  if ((VETO_FACTS as readonly string[]).includes(fact)) return t(`vetoFacts.names.${fact as (typeof VETO_FACTS)[number]}`);
  return description?.trim() || fact;
}
