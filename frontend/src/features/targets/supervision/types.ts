/** The supervision features' API shapes (monthly reports, supervision rounds, bulletins, the public board, imports), read from the schema by path. */
import type { RequestBody, ResponseData } from '../../../api/types';

export type MonthlyReport = ResponseData<'/api/v1/targets/programmes/{programme_id}/monthly-reports', 'post'>;
export type ReportFigure = MonthlyReport['figures'][number];
export type MonthlyReportIn = RequestBody<'/api/v1/targets/programmes/{programme_id}/monthly-reports', 'post'>;
export type UnitRef = ResponseData<'/api/v1/targets/programmes/{programme_id}/monthly-reports/missing', 'get'>[number];

export type SupervisionRound = ResponseData<'/api/v1/targets/supervision-rounds/{round_id}', 'get'>;
export type SupervisionBody = SupervisionRound['body'];
export type RoundCreate = RequestBody<'/api/v1/targets/programmes/{programme_id}/supervision-rounds', 'post'>;
export type RoundUpdate = RequestBody<'/api/v1/targets/supervision-rounds/{round_id}', 'patch'>;
export type Finding = ResponseData<'/api/v1/targets/findings/{finding_id}', 'get'>;
export type FindingCreate = RequestBody<'/api/v1/targets/supervision-rounds/{round_id}/findings', 'post'>;
export type FindingUpdate = RequestBody<'/api/v1/targets/findings/{finding_id}', 'patch'>;

export type BulletinSummary = ResponseData<'/api/v1/targets/programmes/{programme_id}/bulletins', 'get'>[number];
export type BulletinStatus = BulletinSummary['status'];
export type Bulletin = ResponseData<'/api/v1/targets/bulletins/{bulletin_id}', 'get'>;
export type BulletinUnit = Bulletin['units'][number];
export type BulletinMeasure = Bulletin['measures'][number];
export type TargetBoard = ResponseData<'/api/v1/public/target-board', 'get'>;
export type PublicBulletin = NonNullable<TargetBoard['bulletin']>;

export type TargetImportResult = ResponseData<'/api/v1/targets/programmes/{programme_id}/targets/import', 'post'>;
export type ProjectImportResult = ResponseData<'/api/v1/targets/programmes/{programme_id}/projects/import', 'post'>;

/** 人大, 政协, 两办督察室, 其他 — in the order a round's form offers them. */
export const SUPERVISION_BODIES = ['congress', 'cppcc', 'office', 'other'] as const satisfies readonly SupervisionBody[];

/** What both a signed-in reader's bulletin and the public board's carry: enough for the ranked table and the chart. */
export type BulletinContentLike = Pick<Bulletin, 'measures' | 'units' | 'expected_pace' | 'red_below' | 'counts' | 'previous'>;
