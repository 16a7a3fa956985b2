/**
 * The target pages' rules that need no screen: the unit × measure grid of targets, stage moves, days and
 * percentages. Figures stay decimal strings (as the API sends them) until they are shown.
 */
import dayjs from 'dayjs';

import {
  PROJECT_STAGES,
  type MeasureBasis,
  type ProgrammeRead,
  type ProjectRead,
  type ProjectStage,
  type TargetRead,
  type TargetsPut,
} from '../../api/types';
import { TIME_ZONE } from '../../lib/datetime';
import { compareDecimals } from '../../lib/decimal';

// ---------------------------------------------------------------- the grid of targets

/** The grid's cells by `orgId:measureKey`, each the text typed; a cell not in it has no target. */
export type TargetGrid = Readonly<Record<string, string>>;

export const cellKey = (orgId: number, measureKey: string) => `${orgId}:${measureKey}`;

export function gridFromTargets(targets: readonly TargetRead[]): TargetGrid {
  return Object.fromEntries(targets.map((target) => [cellKey(target.org.id, target.measure_key), target.value]));
}

/** The grid with one cell typed: an empty cell has no target (it is removed, not set to 0). */
export function setCell(grid: TargetGrid, key: string, text: string): TargetGrid {
  const next = { ...grid };
  const value = text.trim();
  if (value === '') delete next[key];
  else next[key] = value;
  return next;
}

// As the API takes them: up to 12 digits before the point and 2 after, never negative.
const TARGET_VALUE = /^\d{1,12}(\.\d{1,2})?$/;

/** Whether a cell's text is a target the API takes. */
export function isTargetValue(text: string): boolean {
  return TARGET_VALUE.test(text.trim());
}

/** The cells whose text is not a target, to mark before anything is sent. */
export function invalidCells(grid: TargetGrid): string[] {
  return Object.entries(grid)
    .filter(([, text]) => !isTargetValue(text))
    .map(([key]) => key);
}

/** The whole table the API keeps for the grid: every filled cell, in a stable order. */
export function gridToPut(grid: TargetGrid): TargetsPut {
  return {
    targets: Object.entries(grid)
      .map(([key, value]) => {
        const at = key.indexOf(':');
        return { org_id: Number(key.slice(0, at)), measure_key: key.slice(at + 1), value: value.trim() };
      })
      .sort((a, b) => a.org_id - b.org_id || a.measure_key.localeCompare(b.measure_key)),
  };
}

/** Whether two grids differ in what they would save (1 and 1.00 are the same target). */
export function gridsDiffer(a: TargetGrid, b: TargetGrid): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) return true;
    if (!isTargetValue(x) || !isTargetValue(y)) {
      if (x.trim() !== y.trim()) return true;
    } else if (compareDecimals(x, y) !== 0) return true;
  }
  return false;
}

/** A measure key for a new measure: its stage and basis (`landed_projects`), numbered when taken. */
export function suggestMeasureKey(stage: ProjectStage, basis: MeasureBasis, taken: readonly string[]): string {
  const base = `${stage}_${basis}`;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}_${n}`)) return `${base}_${n}`;
}

// ---------------------------------------------------------------- the pipeline

export const stageIndex = (stage: ProjectStage) => PROJECT_STAGES.indexOf(stage);

/** A move to an earlier stage: the API asks a reason for it and clears the later stages' dates. */
export function isMoveBack(from: ProjectStage, to: ProjectStage): boolean {
  return stageIndex(to) < stageIndex(from);
}

/** The day of the project's last move (or of the talks' start): a new move may not be dated earlier. */
export function lastMoveDay(project: Pick<ProjectRead, 'history' | 'negotiating_date'>): string {
  return project.history.reduce((last, move) => (move.on_date > last ? move.on_date : last), project.negotiating_date);
}

/** The filters of the pipeline's list; each empty one lets everything through. */
export interface ProjectFilter {
  orgId?: number;
  teamId?: number;
  stage?: ProjectStage;
  industry?: string;
  q?: string;
}

export function filterProjects(projects: readonly ProjectRead[], filter: ProjectFilter): ProjectRead[] {
  const q = filter.q?.trim().toLowerCase();
  return projects.filter(
    (project) =>
      (filter.orgId === undefined || project.org.id === filter.orgId) &&
      (filter.teamId === undefined || project.team_id === filter.teamId) &&
      (filter.stage === undefined || project.stage === filter.stage) &&
      (!filter.industry || project.industry === filter.industry) &&
      (!q || project.company.toLowerCase().includes(q) || project.origin_region.toLowerCase().includes(q)),
  );
}

/** The board's columns: each stage with its projects, newest talks first. */
export function byStage(projects: readonly ProjectRead[]): Record<ProjectStage, ProjectRead[]> {
  const columns = Object.fromEntries(PROJECT_STAGES.map((stage) => [stage, [] as ProjectRead[]])) as Record<ProjectStage, ProjectRead[]>;
  for (const project of projects) columns[project.stage].push(project);
  for (const stage of PROJECT_STAGES) {
    columns[stage].sort((a, b) => b.negotiating_date.localeCompare(a.negotiating_date) || b.id - a.id);
  }
  return columns;
}

/** The industries named on the projects and teams, for the filter, in the order first met. */
export function industriesOf(projects: readonly ProjectRead[], teamIndustries: readonly string[] = []): string[] {
  return [...new Set([...teamIndustries, ...projects.map((project) => project.industry)].filter(Boolean))];
}

// ---------------------------------------------------------------- days and programmes

/** A day (YYYY-MM-DD) kept inside a programme's period. */
export function clampDay(day: string, start: string, end: string): string {
  return day < start ? start : day > end ? end : day;
}

/** The programme a page opens on: the one asked for, else the first active one, else the newest. */
export function defaultProgramme(programmes: readonly ProgrammeRead[], wanted?: number): ProgrammeRead | undefined {
  return (
    programmes.find((programme) => programme.id === wanted) ??
    programmes.find((programme) => programme.status === 'active') ??
    programmes[0]
  );
}

// ---------------------------------------------------------------- figures

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A ratio ("0.456789") as a percentage with `places` decimals, rounded half up on the exact digits
 * ("45.7%"); null shows as a dash.
 */
export function percent(ratio: string | null | undefined, places = 1): string {
  const points = percentValue(ratio, places);
  return points === null ? '—' : `${points}%`;
}

/** The percentage's number text alone ("45.7"), or null. */
export function percentValue(ratio: string | null | undefined, places = 1): string | null {
  if (ratio === null || ratio === undefined) return null;
  const match = DECIMAL.exec(ratio.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  // ratio × 10^(2 + places), rounded half up (away from zero) on the digit after.
  const shift = 2 + places;
  const digits = `${whole}${fraction.padEnd(shift + 1, '0')}`;
  const kept = BigInt(digits.slice(0, whole.length + shift));
  const next = Number(digits[whole.length + shift] ?? '0');
  const scaled = kept + (next >= 5 ? 1n : 0n);
  const text = scaled.toString().padStart(places + 1, '0');
  const shown = places > 0 ? `${text.slice(0, -places)}.${text.slice(-places)}` : text;
  return sign === '-' && scaled !== 0n ? `-${shown}` : shown;
}

/** A decimal string without trailing zeros ("12.50" → "12.5", "3.00" → "3"). */
export function plain(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** Which way a change went, for words and arrows (never colour alone). */
export function direction(change: string | null | undefined): 'up' | 'down' | 'same' | null {
  if (change === null || change === undefined) return null;
  const sign = compareDecimals(change, '0');
  return sign > 0 ? 'up' : sign < 0 ? 'down' : 'same';
}

/** Whether a text is an amount the API takes (万元, up to two decimals, not negative); the same rule as a target. */
export const isAmount = isTargetValue;

/** The origin regions people name first (the rest are typed). */
export const ORIGIN_REGIONS = ['京津冀', '长三角', '珠三角'] as const;

/** Today in Beijing (YYYY-MM-DD), whatever the browser's zone. */
export function todayInBeijing(): string {
  return dayjs().tz(TIME_ZONE).format('YYYY-MM-DD');
}
