/**
 * The supervision pages' rules that need no screen: the months a programme reports, which units have not
 * reported, what a bulletin lets its reader do, and the bulletin chart's figures.
 */
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';

import type { CompletionRead, Light, ProgrammeRead } from '../../../api/types';
import { percentValue } from '../logic';
import type { Bulletin, BulletinContentLike, MonthlyReport, UnitRef } from './types';

// ---------------------------------------------------------------- months

/** Every month (YYYY-MM) the programme's period touches, in order. */
export function programmeMonths(programme: Pick<ProgrammeRead, 'period_start' | 'period_end'>): string[] {
  const months: string[] = [];
  const last = programme.period_end.slice(0, 7);
  for (let month = dayjs(`${programme.period_start.slice(0, 7)}-01`); ; month = month.add(1, 'month')) {
    const text = month.format('YYYY-MM');
    months.push(text);
    if (text >= last || months.length > 240) break;
  }
  return months;
}

/** The month a page opens on: today's when it is in the period, else the period's nearest end. */
export function defaultMonth(programme: Pick<ProgrammeRead, 'period_start' | 'period_end'>, today: string): string {
  const months = programmeMonths(programme);
  const current = today.slice(0, 7);
  if (current < months[0]!) return months[0]!;
  if (current > months[months.length - 1]!) return months[months.length - 1]!;
  return current;
}

/** The day a month's figures are computed on: its last day, kept within the programme's period. */
export function monthEnd(month: string, programme: Pick<ProgrammeRead, 'period_start' | 'period_end'>): string {
  const end = dayjs(`${month}-01`).endOf('month').format('YYYY-MM-DD');
  return end > programme.period_end ? programme.period_end : end < programme.period_start ? programme.period_start : end;
}

/** A month (YYYY-MM) in the reader's words: 2013年10月. */
export function monthLabel(t: TFunction, month: string): string {
  const [year = '', m = ''] = month.split('-');
  return t('supervision.monthly.monthText', { year, month: String(Number(m)) });
}

// ---------------------------------------------------------------- monthly reports

/** One line of a month's list: a unit with its report, or without one (未报送). */
export interface ReportRow {
  org: UnitRef;
  report: MonthlyReport | null;
}

/** The month's units in code order: those that reported, with their report, and those that have not (report null). */
export function reportRows(reports: readonly MonthlyReport[], missing: readonly UnitRef[]): ReportRow[] {
  const rows = new Map<number, ReportRow>();
  for (const report of reports) rows.set(report.org.id, { org: report.org, report });
  for (const org of missing) if (!rows.has(org.id)) rows.set(org.id, { org, report: null });
  return [...rows.values()].sort((a, b) => a.org.code.localeCompare(b.org.code) || a.org.id - b.org.id);
}

/** A measure's figures as a unit would report them. */
export interface PreviewFigure {
  key: string;
  name: string;
  unit: string;
  target: string | null;
  actual: string;
  completion: string | null;
}

/**
 * What a unit's report would say if submitted now: its figures per measure and weighted completion on the month's end,
 * from the completion the pipeline gives on that day (the API computes the submitted report the same way).
 */
export function previewFigures(completion: CompletionRead, orgId: number): { measures: PreviewFigure[]; weighted: string | null } {
  const unit = completion.units.find((entry) => entry.org.id === orgId);
  const measures = completion.measures.map((measure) => {
    const figure = unit?.measures.find((entry) => entry.measure_key === measure.key);
    return {
      key: measure.key,
      name: measure.name,
      unit: measure.unit,
      target: figure?.target ?? null,
      actual: figure?.actual ?? '0',
      completion: figure?.completion ?? null,
    };
  });
  return { measures, weighted: unit?.weighted_completion ?? null };
}

/** Whether the month is locked: its bulletin is published (every report of it says so). */
export function monthLocked(reports: readonly MonthlyReport[]): boolean {
  return reports.some((report) => report.locked);
}

// ---------------------------------------------------------------- bulletins

/** What the reader may do with a bulletin: the office publishes drafts and withdraws published ones; others only read. */
export function bulletinActions(bulletin: Pick<Bulletin, 'may_publish' | 'status'>) {
  return {
    publish: bulletin.may_publish && bulletin.status === 'draft',
    withdraw: bulletin.may_publish && bulletin.status === 'published',
    remove: bulletin.may_publish && bulletin.status === 'draft',
  };
}

export const LIGHT_COLOURS: Record<Light, string> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d' };

/** The chart's figures: each ranked unit's weighted completion (percent) and light, and the expected pace. */
export function bulletinSeries(content: BulletinContentLike) {
  const units = content.units.filter((unit) => unit.weighted_completion !== null);
  return {
    names: units.map((unit) => unit.org.name),
    values: units.map((unit) => Number(percentValue(unit.weighted_completion))),
    colours: units.map((unit) => (unit.light ? LIGHT_COLOURS[unit.light] : '#8c8c8c')),
    pace: Number(percentValue(content.expected_pace)),
  };
}

// ---------------------------------------------------------------- findings

const CLOSED = new Set(['done', 'verified', 'rejected']);

/** A finding still open past its deadline (its ledger item not done, verified or set aside). */
export function findingOverdue(finding: { deadline: string; item: { status: string } | null }, today: string): boolean {
  return finding.deadline < today && (finding.item === null || !CLOSED.has(finding.item.status));
}

// ---------------------------------------------------------------- who reports

/**
 * Whether the reader may submit a unit's month: the programme's managers for any unit, a secretary for the units
 * they are shown (the API shows a secretary their own units only), a clerk for their own organisation; never while the
 * programme is not active or once the month's bulletin is published. The API decides; this only hides a button.
 */
export function mayReport(
  user: { role: string; org_id: number | null } | undefined,
  programme: Pick<ProgrammeRead, 'may_manage' | 'status'>,
  row: ReportRow,
): boolean {
  if (!user || programme.status !== 'active' || row.report?.locked) return false;
  if (programme.may_manage) return true;
  if (user.role === 'secretary') return true;
  return user.role === 'clerk' && user.org_id === row.org.id;
}

/** Whether the reader records supervision: the programme's managers and the host's leaders (the API's `may_supervise`). */
export function maySupervise(user: { role: string; org_id: number | null } | undefined, programme: Pick<ProgrammeRead, 'may_manage' | 'host'>): boolean {
  if (!user) return false;
  return programme.may_manage || (user.role === 'leader' && user.org_id === programme.host.id);
}
