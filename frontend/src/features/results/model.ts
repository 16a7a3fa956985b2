/** Pure helpers over the results API's answers: tiers and their colours, flags, averages, the explanation's steps. */
import type { TFunction } from 'i18next';

import type { CycleStage, ExplainRead, ItemAverages, ResultItem, Tier } from '../../api/types';
import { TIERS } from '../../api/types';
import { isWithheld, withheldText } from '../../lib/withheld';

/** The stages in which a cycle can have results: listed first wherever results pages pick a cycle. */
export const STAGES_WITH_RESULTS: readonly CycleStage[] = ['assessment', 'rectification', 'closed'];

/** Tag colours (Ant Design presets) and the matching chart colours: 好 green, 较好 blue, 一般 orange, 较差 red. */
export const TIER_TAG_COLORS: Record<Tier, string> = { good: 'green', fairly_good: 'blue', average: 'orange', poor: 'red' };
export const TIER_CHART_COLORS: Record<Tier, string> = {
  good: '#389e0d',
  fairly_good: '#1677ff',
  average: '#fa8c16',
  poor: '#cf1322',
};
export const NO_TIER_COLOR = '#bfbfbf';

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

export function tierColor(tier: string | null | undefined): string {
  return isTier(tier) ? TIER_CHART_COLORS[tier] : NO_TIER_COLOR;
}

/** A decimal string from the API as a number for charts (never for display: the strings are already rounded). */
export function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A 0..1 share as a percentage with one decimal, or a dash. */
export function formatShare(value: string | null | undefined): string {
  const number = toNumber(value);
  return number === null ? '—' : `${(number * 100).toFixed(1)}%`;
}

export type ConsistencyKind = 'identical_ballots' | 'straight_lining' | 'group_divergence';
const CONSISTENCY_KINDS: readonly string[] = ['identical_ballots', 'straight_lining', 'group_divergence'];

export interface ConsistencyFlag {
  kind: ConsistencyKind | 'other';
  raw: string;
  group: string;
}

/** "straight_lining:members" as its kind and group key; an unknown kind is kept whole. */
export function parseConsistencyFlag(flag: string): ConsistencyFlag {
  const [kind = '', group = ''] = flag.split(':', 2);
  return CONSISTENCY_KINDS.includes(kind) ? { kind: kind as ConsistencyKind, raw: flag, group } : { kind: 'other', raw: flag, group };
}

/** A group's display name in a report's result, or its key when the result does not carry the group. */
export function groupName(item: Pick<ResultItem, 'groups'>, key: string): string {
  return item.groups.find((group) => group.key === key)?.name ?? key;
}

export interface GroupColumn {
  key: string;
  name: string;
}

/** Every evaluator group that occurs in the results, in first-seen order. */
export function resultGroups(items: readonly ResultItem[]): GroupColumn[] {
  const seen = new Map<string, string>();
  for (const item of items) for (const group of item.groups) if (!seen.has(group.key)) seen.set(group.key, group.name);
  return [...seen].map(([key, name]) => ({ key, name }));
}

/** One report's item averages against the cycle's, each axis from 0 to the item's maximum; null if the report has none. */
export function itemRadar(
  data: ItemAverages,
  reportId: number | undefined,
): { axes: { name: string; max: number }[]; mine: number[]; county: number[] } | null {
  const report = data.reports.find((row) => row.report_id === reportId);
  if (!report || report.withheld || data.items.length === 0) return null;
  return {
    axes: data.items.map((item) => ({ name: item.title, max: toNumber(item.max_points) ?? 0 })),
    mine: data.items.map((item) => toNumber(report.averages[item.key]) ?? 0),
    county: data.items.map((item) => toNumber(data.county[item.key]) ?? 0),
  };
}

/** Reports per tier, with the incomplete ones (no tier) counted apart. */
export function tierDistribution(items: readonly ResultItem[]): { tier: Tier | null; count: number }[] {
  const counts = new Map<Tier | null, number>();
  for (const item of items) {
    const tier = isTier(item.tier) ? item.tier : null;
    counts.set(tier, (counts.get(tier) ?? 0) + 1);
  }
  return [...TIERS, null].filter((tier) => counts.has(tier)).map((tier) => ({ tier, count: counts.get(tier) ?? 0 }));
}

export interface Blocker {
  kind: 'incomplete' | 'quorum';
  orgName: string;
  groups: string[];
}

/** Why the results cannot be published as they are, read from the items (the API's own list is English prose). */
export function blockersOf(items: readonly ResultItem[]): Blocker[] {
  const incomplete = items.filter((item) => item.incomplete).map((item) => ({ kind: 'incomplete' as const, orgName: item.org_name, groups: [] }));
  const quorum = items
    .filter((item) => !item.incomplete && !item.quorum_ok)
    .map((item) => ({
      kind: 'quorum' as const,
      orgName: item.org_name,
      groups: item.groups.filter((group) => !group.quorum_ok).map((group) => `${group.name} ${group.ballots}/${group.quorum}`),
    }));
  return [...incomplete, ...quorum];
}

/** Rubric items and vetoes by key → title, as the results and the explanation carry them. */
export type ItemTitles = Readonly<Record<string, string>>;

/** Item or veto keys by their titles ("major_incident" → 发生重大责任事故), joined as a list is in Chinese. */
export function itemNames(keys: readonly string[], titles: ItemTitles | undefined): string {
  return keys.map((key) => titles?.[key] ?? key).join('、');
}

export { formulaName } from '../../lib/formulas';

/** The rule that set a tier, in words: thresholds, quota, a veto (with its items) or the share of poor votes. */
export function describeTierRule(t: TFunction, rule: string | null | undefined, limit?: string, titles?: ItemTitles): string {
  if (!rule) return t('results.tierRule.none');
  if (rule === 'thresholds') return t('results.tierRule.thresholds');
  if (rule === 'quota') return t('results.tierRule.quota');
  if (rule === 'poor_vote_share') return t('results.tierRule.poorVoteShare', { limit: limit ? formatShare(limit) : '' });
  if (rule.startsWith('veto')) {
    const keys = rule.slice(rule.indexOf(':') + 1);
    return t('results.tierRule.veto', { items: titles ? itemNames(keys.split(','), titles) : keys });
  }
  return rule;
}

/** The explanation's steps in the UI language, built from its figures (the API's `steps` are English prose). */
export function explainSteps(t: TFunction, explain: ExplainRead): string[] {
  const steps: string[] = [];
  for (const group of explain.groups) {
    if (isWithheld(group)) {
      steps.push(t('results.steps.groupWithheld', { group: group.name, count: group.ballot_count, reason: withheldText(t, group) }));
      continue;
    }
    if (group.score === null) {
      steps.push(t('results.steps.groupEmpty', { group: group.name }));
      continue;
    }
    const dropped = group.ballot_count - group.kept;
    steps.push(
      dropped > 0
        ? t('results.steps.groupTrimmed', {
            group: group.name,
            k: dropped / 2,
            kept: group.kept,
            score: group.score,
            weight: group.weight,
            weighted: group.weighted ?? '—',
          })
        : t('results.steps.groupMean', {
            group: group.name,
            kept: group.kept,
            score: group.score,
            weight: group.weight,
            weighted: group.weighted ?? '—',
          }),
    );
  }
  if (explain.ballot_part !== null) {
    steps.push(t('results.steps.ballotPart', { weightSum: explain.weight_sum ?? '—', value: explain.ballot_part }));
  }
  const missing = explain.indicators.filter((indicator) => indicator.missing).map((indicator) => indicator.title || indicator.key);
  steps.push(
    missing.length > 0
      ? t('results.steps.indicatorsMissing', { value: explain.indicator_points, missing: missing.join('、') })
      : t('results.steps.indicators', { value: explain.indicator_points }),
  );
  if (explain.total === null) {
    steps.push(t('results.steps.incomplete'));
    return steps;
  }
  steps.push(t('results.steps.total', { ballotPart: explain.ballot_part ?? '0.00', indicators: explain.indicator_points, total: explain.total }));
  const vetoes = Object.keys(explain.vetoes);
  if (vetoes.length > 0) steps.push(t('results.steps.vetoes', { items: itemNames(vetoes, explain.item_titles) }));
  if (explain.poor_share_withheld) {
    const reason = withheldText(t, { withheld: 'few_ballots', hidden_below: explain.min_ballots_shown });
    steps.push(t('results.steps.poorShareWithheld', { reason }));
  } else if (explain.poor_share !== null) {
    steps.push(
      t('results.steps.poorShare', { share: formatShare(explain.poor_share), limit: formatShare(explain.poor_vote_share_limit) }),
    );
  }
  steps.push(
    t('results.steps.tier', {
      tier: isTier(explain.tier) ? t(`tiers.${explain.tier}`) : '—',
      rule: describeTierRule(t, explain.tier_rule, explain.poor_vote_share_limit, explain.item_titles),
      rank: explain.rank ?? '—',
    }),
  );
  if (explain.flagged) steps.push(t('results.steps.flagged'));
  return steps;
}
