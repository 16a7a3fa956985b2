/**
 * PROVISIONAL: the live-meeting API (issue 4) as agreed with the backend, typed in the shape openapi-typescript
 * generates, merged into the generated `paths`. Delete this file once `make client` brings the real operations.
 */
import type {} from './schema';

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Params<Path = never, Query = never, Header = never> = {
  query?: Query;
  cookie?: never;
} & ([Header] extends [never] ? { header?: never } : { header: Header }) &
  ([Path] extends [never] ? { path?: never } : { path: Path });
type Op<P, Res, Body = never, Status extends 200 | 201 = 200> = {
  parameters: P;
  responses: { [S in Status]: Json<Res> };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: { 'application/json': Body } } });
type NoMethods = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get?: never;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};
type Path<Methods> = Omit<NoMethods, keyof Methods> & Methods;

type Decimal = string;
type Voting = 'pending' | 'open' | 'closed';
type Tier = 'good' | 'fairly_good' | 'average' | 'poor';

interface MeetingRead {
  id: number;
  cycle_id: number;
  title: string;
  direction: 'upward' | 'downward';
  starts_at: string;
  status: 'scheduled' | 'live' | 'ended';
  current_report_id: number | null;
  revealed: boolean;
  screen_key?: string | null;
  agenda: { report_id: number; position: number; org_code: string; org_name: string; title: string; voting: Voting }[];
}
interface MeetingCreate {
  title: string;
  direction: 'upward' | 'downward';
  report_ids: number[];
  starts_at: string;
}
interface TokensIssued {
  meeting_id: number;
  group_key: string;
  tokens: string[];
}
interface TokenCount {
  group_key: string;
  issued: number;
  used: number;
  revoked: number;
}
interface BallotForm {
  meeting_id: number;
  meeting_title: string;
  direction: 'upward' | 'downward';
  group_key: string;
  group_name: string;
  current_report_id: number | null;
  reports: { report_id: number; org_name: string; title: string; voting: Voting; voted: boolean }[];
  items: { key: string; title: string; kind: 'score' | 'tier'; max_points: Decimal; description: string | null }[];
  opinion_categories: string[];
}
interface BallotCreate {
  report_id: number;
  items: { [key: string]: number | Tier };
  comment?: string | null;
  comment_category?: string | null;
}
interface BallotReceipt {
  receipt: string;
  report_id: number;
  group_key: string;
}
interface VoteMeeting {
  meeting_id: number;
  meeting_title: string;
  status: 'scheduled' | 'live' | 'ended';
  group_key: string;
}
interface Tally {
  meeting_id: number;
  status: 'scheduled' | 'live' | 'ended';
  current_report_id: number | null;
  revealed: boolean;
  reports: {
    report_id: number;
    org_name: string;
    title: string;
    voting: Voting;
    groups: { key: string; name: string; received: number; expected: number; score: Decimal | null }[];
    score: Decimal | null;
    rank: number | null;
  }[];
}

type MeetingPath = { meeting_id: number };

// From the evaluation-setup backend (issue 3), only the fields the meeting pages read.
type CycleStage = 'preparation' | 'evaluation' | 'assessment' | 'rectification' | 'closed';
interface OrgRef {
  id: number;
  code: string;
  name: string;
}
interface CycleSummary {
  id: number;
  name: string;
  stage: CycleStage;
  host_org: OrgRef;
}
interface CycleRead extends CycleSummary {
  opinion_categories: string[];
  groups: { key: string; name: string; anonymous: boolean; expected: number; member_count: number }[];
  can_manage: boolean;
}
interface ReportSummary {
  id: number;
  cycle_id: number;
  org: OrgRef;
  position: number;
  title: string;
  status: 'draft' | 'submitted' | 'returned' | 'accepted';
}
type PageOf<T> = { items: T[]; total: number; limit: number; offset: number };

declare module './schema' {
  interface paths {
    '/api/v1/cycles/{cycle_id}/meetings': Path<{
      get: Op<Params<{ cycle_id: number }>, MeetingRead[]>;
      post: Op<Params<{ cycle_id: number }>, MeetingRead, MeetingCreate, 201>;
    }>;
    '/api/v1/meetings/{meeting_id}': Path<{ get: Op<Params<MeetingPath>, MeetingRead> }>;
    '/api/v1/meetings/{meeting_id}/start': Path<{ post: Op<Params<MeetingPath>, MeetingRead> }>;
    '/api/v1/meetings/{meeting_id}/end': Path<{ post: Op<Params<MeetingPath>, MeetingRead> }>;
    '/api/v1/meetings/{meeting_id}/speaker': Path<{
      post: Op<Params<MeetingPath>, MeetingRead, { report_id: number }>;
    }>;
    '/api/v1/meetings/{meeting_id}/reports/{report_id}/voting': Path<{
      post: Op<Params<MeetingPath & { report_id: number }>, MeetingRead, { open: boolean }>;
    }>;
    '/api/v1/meetings/{meeting_id}/reveal': Path<{
      post: Op<Params<MeetingPath>, MeetingRead, { revealed: boolean }>;
    }>;
    '/api/v1/meetings/{meeting_id}/tokens': Path<{
      get: Op<Params<MeetingPath>, TokenCount[]>;
      post: Op<Params<MeetingPath>, TokensIssued, { group_key: string; count: number }, 201>;
    }>;
    '/api/v1/meetings/{meeting_id}/tokens/revoke': Path<{
      post: Op<Params<MeetingPath>, { revoked: number }, { tokens: string[] }>;
    }>;
    '/api/v1/meetings/{meeting_id}/tally': Path<{
      get: Op<Params<MeetingPath, { key?: string | null }>, Tally>;
    }>;
    '/api/v1/meetings/{meeting_id}/ballots': Path<{
      post: Op<
        Params<MeetingPath, never, { 'Idempotency-Key': string; 'X-Ballot-Token'?: string | null }>,
        BallotReceipt,
        BallotCreate,
        201
      >;
    }>;
    '/api/v1/vote/form': Path<{
      get: Op<
        { query?: { meeting_id?: number | null }; header?: { 'X-Ballot-Token'?: string | null }; path?: never; cookie?: never },
        BallotForm
      >;
    }>;
    '/api/v1/vote/meetings': Path<{ get: Op<Params, VoteMeeting[]> }>;
    '/api/v1/cycles': Path<{
      get: Op<Params<never, { stage?: CycleStage | null; q?: string | null; limit?: number; offset?: number }>, PageOf<CycleSummary>>;
    }>;
    '/api/v1/cycles/{cycle_id}': Path<{ get: Op<Params<{ cycle_id: number }>, CycleRead> }>;
    '/api/v1/reports': Path<{
      get: Op<
        Params<never, { cycle_id?: number | null; status?: ReportSummary['status'][] | null; limit?: number; offset?: number }>,
        PageOf<ReportSummary>
      >;
    }>;
  }
}
