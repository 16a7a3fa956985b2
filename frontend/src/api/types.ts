import type { components, paths } from './schema';

type Ok<R> = R extends { 200: infer A } ? A : R extends { 201: infer B } ? B : never;
type JsonOf<C> = C extends { content: { 'application/json': infer T } } ? T : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON body of an operation's success response, read by path so schema renames do not matter. */
export type ResponseData<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { responses: infer R } ? JsonOf<Ok<R>> : never;

/** The JSON request body of an operation. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;

/** The query parameters of an operation. */
export type QueryParams<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type TokenPair = ResponseData<'/api/v1/auth/token', 'post'>;
export type UserRead = ResponseData<'/api/v1/auth/me', 'get'>;
export type Role = UserRead['role'];
export type UserPage = ResponseData<'/api/v1/users', 'get'>;
export type UserQuery = QueryParams<'/api/v1/users', 'get'>;
export type UserCreate = RequestBody<'/api/v1/users', 'post'>;
export type UserUpdate = RequestBody<'/api/v1/users/{user_id}', 'patch'>;

export type OrgRead = ResponseData<'/api/v1/orgs/{org_id}', 'get'>;
export type OrgKind = OrgRead['kind'];
export type OrgPage = ResponseData<'/api/v1/orgs', 'get'>;
export type OrgQuery = QueryParams<'/api/v1/orgs', 'get'>;
export type OrgCreate = RequestBody<'/api/v1/orgs', 'post'>;
export type OrgUpdate = RequestBody<'/api/v1/orgs/{org_id}', 'patch'>;

export type AuditPage = ResponseData<'/api/v1/audit', 'get'>;
export type AuditEntry = AuditPage['items'][number];
export type AuditQuery = QueryParams<'/api/v1/audit', 'get'>;
export type AuditVerify = ResponseData<'/api/v1/audit/verify', 'get'>;

export const ROLES = ['admin', 'clerk', 'leader', 'deputy', 'secretary', 'member', 'integration'] as const satisfies readonly Role[];
export const ORG_KINDS = ['county', 'township', 'working_committee', 'village', 'department'] as const satisfies readonly OrgKind[];

export type MeetingRead = ResponseData<'/api/v1/meetings/{meeting_id}', 'get'>;
export type MeetingCreate = RequestBody<'/api/v1/cycles/{cycle_id}/meetings', 'post'>;
export type AgendaEntry = MeetingRead['agenda'][number];
export type Voting = AgendaEntry['voting'];
export type MeetingStatus = MeetingRead['status'];
export type Direction = MeetingRead['direction'];
export type TokensIssued = ResponseData<'/api/v1/meetings/{meeting_id}/tokens', 'post'>;
export type TokenCount = ResponseData<'/api/v1/meetings/{meeting_id}/tokens', 'get'>[number];
export type Tally = ResponseData<'/api/v1/meetings/{meeting_id}/tally', 'get'>;
export type TallyReport = Tally['reports'][number];
export type BallotForm = ResponseData<'/api/v1/vote/form', 'get'>;
export type BallotItem = BallotForm['items'][number];
export type BallotFormReport = BallotForm['reports'][number];
/** One report's ballot (the endpoint also takes a whole sheet). */
export type BallotCreate = components['schemas']['BallotIn'];
export type BallotReceipt = components['schemas']['BallotAccepted'];
export type VoteMeeting = ResponseData<'/api/v1/vote/meetings', 'get'>[number];
export type Tier = Extract<BallotCreate['items'][string], string>;

export const TIERS = ['good', 'fairly_good', 'average', 'poor'] as const satisfies readonly Tier[];

export type CasePage = ResponseData<'/api/v1/petitions/cases', 'get'>;
export type CaseRead = CasePage['items'][number];
export type CaseQuery = QueryParams<'/api/v1/petitions/cases', 'get'>;
export type CaseDetail = ResponseData<'/api/v1/petitions/cases/{case_id}', 'get'>;
export type CaseEvent = CaseDetail['events'][number];
export type CaseStatus = CaseRead['status'];
export type CaseStage = CaseRead['stage'];
export type TransitionIn = RequestBody<'/api/v1/petitions/cases/{case_id}/transitions', 'post'>;
export type AppointmentRead = ResponseData<'/api/v1/petitions/cases/{case_id}/appointments', 'post'>;
export type AppointmentCreate = RequestBody<'/api/v1/petitions/cases/{case_id}/appointments', 'post'>;
export type AppointmentUpdate = RequestBody<'/api/v1/petitions/appointments/{appointment_id}', 'patch'>;
export type PetitionStats = ResponseData<'/api/v1/petitions/stats', 'get'>;
export type StatsGroup = PetitionStats['group_by'];
export type StatsFigures = PetitionStats['total'];
export type Satisfaction = NonNullable<CaseRead['satisfaction']>;
export type ImportResult = ResponseData<'/api/v1/petitions/imports', 'post'>;
export type SyncRunPage = ResponseData<'/api/v1/petitions/sync/runs', 'get'>;
export type SyncRun = SyncRunPage['items'][number];
export type SyncRunQuery = QueryParams<'/api/v1/petitions/sync/runs', 'get'>;

export const CASE_STATUSES = ['accepted', 'in_progress', 'assigned', 'transferred', 'resolved', 'closed'] as const satisfies readonly CaseStatus[];

export type ResultsRead = ResponseData<'/api/v1/cycles/{cycle_id}/results', 'get'>;
/** What compute, publish and reopen answer: the ranking's summary, without its items. */
export type ResultsSummary = ResponseData<'/api/v1/cycles/{cycle_id}/results/compute', 'post'>;
export type ResultStatus = ResultsRead['status'];
export type ResultItem = ResultsRead['items'][number];
export type GroupResult = ResultItem['groups'][number];
export type TierCounts = NonNullable<GroupResult['tier_counts']>;
/** Why a figure is withheld: too few ballots behind it, or it would give such a figure away. */
export type Withheld = components['schemas']['Withheld'];
export type ExplainRead = ResponseData<'/api/v1/cycles/{cycle_id}/results/{report_id}/explain', 'get'>;
export type ItemAverages = ResponseData<'/api/v1/cycles/{cycle_id}/results/item-averages', 'get'>;
export type ExplainGroup = ExplainRead['groups'][number];
export type ExplainBallot = ExplainGroup['ballots'][number];
export type ExplainIndicator = ExplainRead['indicators'][number];
export type PublishIn = RequestBody<'/api/v1/cycles/{cycle_id}/results/publish', 'post'>;
export type ReopenIn = RequestBody<'/api/v1/cycles/{cycle_id}/results/reopen', 'post'>;
export type InterviewRead = ResponseData<'/api/v1/cycles/{cycle_id}/interviews', 'get'>[number];
export type InterviewCreate = RequestBody<'/api/v1/cycles/{cycle_id}/interviews', 'post'>;
export type NoticeRead = ResponseData<'/api/v1/notices/{notice_id}', 'get'>;
export type NoticeStatus = NoticeRead['status'];
export type NoticeCreate = RequestBody<'/api/v1/cycles/{cycle_id}/notices', 'post'>;
export type OrgHistory = ResponseData<'/api/v1/orgs/{org_id}/results-history', 'get'>;
export type HistoryEntry = OrgHistory['entries'][number];
export type RubricRead = ResponseData<'/api/v1/rubrics/{rubric_id}', 'get'>;
export type RubricPage = ResponseData<'/api/v1/rubrics', 'get'>;
export type RubricSummary = RubricPage['items'][number];
export type RubricIn = RequestBody<'/api/v1/rubrics', 'post'>;
export type RubricItemIn = RubricIn['items'][number];
export type RubricItemRead = RubricRead['items'][number];
export type FormulaRead = ResponseData<'/api/v1/rubrics/formulas', 'get'>[number];

export type CycleRead = ResponseData<'/api/v1/cycles/{cycle_id}', 'get'>;
export type CyclePage = ResponseData<'/api/v1/cycles', 'get'>;
export type CycleSummary = CyclePage['items'][number];
export type CycleQuery = QueryParams<'/api/v1/cycles', 'get'>;
export type CycleCreate = RequestBody<'/api/v1/cycles', 'post'>;
export type CycleUpdate = RequestBody<'/api/v1/cycles/{cycle_id}', 'patch'>;
export type CycleStage = CycleRead['stage'];
export type Gate = CycleRead['next_gate'];
export type Blocker = Gate['blockers'][number];
export type GroupRead = CycleRead['groups'][number];
export type GroupsRead = ResponseData<'/api/v1/cycles/{cycle_id}/groups', 'get'>;
export type GroupIn = RequestBody<'/api/v1/cycles/{cycle_id}/groups', 'put'>['groups'][number];
export type GradingIn = NonNullable<CycleCreate['grading']>;
export type MemberRead = ResponseData<'/api/v1/cycles/{cycle_id}/members', 'get'>[number];
export type CandidateRead = ResponseData<'/api/v1/cycles/{cycle_id}/candidates', 'get'>[number];
export type CycleImport = RequestBody<'/api/v1/cycles/import', 'post'>;
export type CycleImportResult = ResponseData<'/api/v1/cycles/import', 'post'>;

export type ReportRead = ResponseData<'/api/v1/reports/{report_id}', 'get'>;
export type ReportPage = ResponseData<'/api/v1/reports', 'get'>;
export type ReportSummary = ReportPage['items'][number];
export type ReportQuery = QueryParams<'/api/v1/reports', 'get'>;
export type ReportUpdate = RequestBody<'/api/v1/reports/{report_id}', 'patch'>;
export type ReportStatus = ReportRead['status'];
export type AttachmentRead = ReportRead['attachments'][number];
export type ReportDocumentRead = ResponseData<'/api/v1/reports/{report_id}/document', 'post'>;
export type AssessmentRead = ResponseData<'/api/v1/reports/{report_id}/assessment', 'get'>;
export type AssessmentIn = RequestBody<'/api/v1/reports/{report_id}/assessment', 'put'>;
export type AssessmentIndicator = AssessmentRead['indicators'][number];
export type AssessmentVeto = AssessmentRead['vetoes'][number];

export const CYCLE_STAGES = ['preparation', 'evaluation', 'assessment', 'rectification', 'closed'] as const satisfies readonly CycleStage[];
export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const satisfies readonly ReportStatus[];
export type LedgerItemPage = ResponseData<'/api/v1/ledger/items', 'get'>;
export type LedgerItem = LedgerItemPage['items'][number];
export type LedgerItemQuery = QueryParams<'/api/v1/ledger/items', 'get'>;
export type LedgerItemDetail = ResponseData<'/api/v1/ledger/items/{item_id}', 'get'>;
export type LedgerEvent = LedgerItemDetail['events'][number];
export type LedgerNote = LedgerItemDetail['notes'][number];
export type LedgerEvidence = LedgerItemDetail['evidence'][number];
export type LedgerItemOpinion = LedgerItemDetail['opinions'][number];
export type LedgerStatus = LedgerItem['status'];
export type LedgerItemUpdate = RequestBody<'/api/v1/ledger/items/{item_id}', 'patch'>;
export type LedgerTransitionIn = RequestBody<'/api/v1/ledger/items/{item_id}/transitions', 'post'>;
export type LedgerNoteCreate = RequestBody<'/api/v1/ledger/items/{item_id}/notes', 'post'>;
export type LedgerStats = ResponseData<'/api/v1/ledger/stats', 'get'>;
export type LedgerFigures = LedgerStats['total'];
export type LedgerReminders = ResponseData<'/api/v1/ledger/reminders', 'get'>;
export type OpinionList = ResponseData<'/api/v1/cycles/{cycle_id}/opinions', 'get'>;
export type OpinionRead = OpinionList['items'][number];
export type OpinionQuery = QueryParams<'/api/v1/cycles/{cycle_id}/opinions', 'get'>;
export type OpinionCreate = RequestBody<'/api/v1/cycles/{cycle_id}/opinions', 'post'>;
export type HarvestResult = ResponseData<'/api/v1/cycles/{cycle_id}/opinions/from-ballots', 'post'>;
export type OpinionImportResult = ResponseData<'/api/v1/cycles/{cycle_id}/opinions/imports', 'post'>;
export type FollowupReport = ResponseData<'/api/v1/ledger/followup', 'get'>;
export type LedgerBoard = ResponseData<'/api/v1/public/ledger-board', 'get'>;

export const LEDGER_STATUSES = ['open', 'in_progress', 'done', 'verified', 'rejected'] as const satisfies readonly LedgerStatus[];

export type ProgrammeRead = ResponseData<'/api/v1/targets/programmes/{programme_id}', 'get'>;
export type ProgrammeStatus = ProgrammeRead['status'];
export type ProgrammeCreate = RequestBody<'/api/v1/targets/programmes', 'post'>;
export type ProgrammeUpdate = RequestBody<'/api/v1/targets/programmes/{programme_id}', 'patch'>;
export type MeasureRead = ResponseData<'/api/v1/targets/programmes/{programme_id}/measures', 'get'>[number];
export type MeasureCreate = RequestBody<'/api/v1/targets/programmes/{programme_id}/measures', 'post'>;
export type MeasureUpdate = RequestBody<'/api/v1/targets/programmes/{programme_id}/measures/{measure_id}', 'patch'>;
export type MeasureBasis = MeasureRead['basis'];
export type TargetRead = ResponseData<'/api/v1/targets/programmes/{programme_id}/targets', 'get'>[number];
export type TargetsPut = RequestBody<'/api/v1/targets/programmes/{programme_id}/targets', 'put'>;
export type TeamRead = ResponseData<'/api/v1/targets/programmes/{programme_id}/teams', 'get'>[number];
export type TeamCreate = RequestBody<'/api/v1/targets/programmes/{programme_id}/teams', 'post'>;
export type TeamUpdate = RequestBody<'/api/v1/targets/programmes/{programme_id}/teams/{team_id}', 'patch'>;
export type ProjectRead = ResponseData<'/api/v1/targets/projects/{project_id}', 'get'>;
export type ProjectStage = ProjectRead['stage'];
export type ProjectRanking = ProjectRead['ranking'];
export type StageMove = ProjectRead['history'][number];
export type ProjectCreate = RequestBody<'/api/v1/targets/programmes/{programme_id}/projects', 'post'>;
export type ProjectUpdate = RequestBody<'/api/v1/targets/projects/{project_id}', 'patch'>;
export type StageMoveIn = RequestBody<'/api/v1/targets/projects/{project_id}/stage', 'post'>;
export type CompletionRead = ResponseData<'/api/v1/targets/programmes/{programme_id}/completion', 'get'>;
export type UnitCompletion = CompletionRead['units'][number];
export type MeasureCompletion = UnitCompletion['measures'][number];
export type Light = NonNullable<UnitCompletion['light']>;

export const PROGRAMME_STATUSES = ['draft', 'active', 'closed'] as const satisfies readonly ProgrammeStatus[];
/** 洽谈 → 签约 → 落地 → 开工 → 投产, in the pipeline's order. */
export const PROJECT_STAGES = ['negotiating', 'signed', 'landed', 'started', 'producing'] as const satisfies readonly ProjectStage[];
export const MEASURE_BASES = ['projects', 'contract_amount', 'funds_in_place'] as const satisfies readonly MeasureBasis[];
export const PROJECT_RANKINGS = ['none', 'global_500', 'china_500', 'industry_100'] as const satisfies readonly ProjectRanking[];
export const LIGHTS = ['red', 'yellow', 'green'] as const satisfies readonly Light[];
