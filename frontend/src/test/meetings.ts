/** Builders for the live-meeting API's answers, typed by the schema. */
import type { BallotForm, MeetingRead, Tally } from '../api/types';

export function ballotForm(overrides: Partial<BallotForm> = {}): BallotForm {
  return {
    meeting_id: 7,
    meeting_title: '2026 年度村党组织书记述职评议大会',
    direction: 'upward',
    status: 'live',
    group_key: 'deputies',
    group_name: '党代表',
    anonymous: false,
    current_report_id: 11,
    reports: [
      { report_id: 11, org_name: '小店镇党委', title: '2026 年度述职报告', voting: 'open', voted: false },
      { report_id: 12, org_name: '城关镇党委', title: '2026 年度述职报告', voting: 'pending', voted: false },
      { report_id: 13, org_name: '柏树乡党委', title: '2026 年度述职报告', voting: 'closed', voted: false },
    ],
    items: [
      { key: 'duty', title: '履行主体责任', kind: 'score', max_points: '20.00', description: '抓党建第一责任人职责' },
      { key: 'overall', title: '总体评价', kind: 'tier', max_points: '0.00', description: null },
    ],
    opinion_categories: ['组织建设', '作风建设'],
    ...overrides,
  };
}

export function meeting(overrides: Partial<MeetingRead> = {}): MeetingRead {
  return {
    id: 7,
    cycle_id: 3,
    title: '2026 年度述职评议大会',
    direction: 'upward',
    starts_at: '2026-12-01T01:00:00Z',
    status: 'live',
    current_report_id: 11,
    revealed: false,
    screen_key: 'screen-key-abc',
    started_at: '2026-12-01T01:02:00Z',
    ended_at: null,
    agenda: [
      { report_id: 11, position: 1, org_code: 'T01', org_name: '小店镇党委', title: '述职报告', voting: 'open' },
      { report_id: 12, position: 2, org_code: 'T02', org_name: '城关镇党委', title: '述职报告', voting: 'pending' },
      { report_id: 13, position: 3, org_code: 'T03', org_name: '柏树乡党委', title: '述职报告', voting: 'closed' },
    ],
    ...overrides,
  };
}

export function tally(overrides: Partial<Tally> = {}): Tally {
  return {
    meeting_id: 7,
    title: '2026 年度述职评议大会',
    status: 'live',
    current_report_id: 11,
    revealed: false,
    scores_visible: false,
    reports: [
      {
        report_id: 11,
        org_name: '小店镇党委',
        title: '述职报告',
        voting: 'open',
        groups: [
          { key: 'leaders', name: '县委领导', received: 3, expected: 9, score: null },
          { key: 'deputies', name: '党代表', received: 40, expected: 120, score: null },
        ],
        score: null,
        rank: null,
        withheld: false,
      },
      {
        report_id: 12,
        org_name: '城关镇党委',
        title: '述职报告',
        voting: 'pending',
        groups: [
          { key: 'leaders', name: '县委领导', received: 0, expected: 9, score: null },
          { key: 'deputies', name: '党代表', received: 0, expected: 120, score: null },
        ],
        score: null,
        rank: null,
        withheld: false,
      },
    ],
    ...overrides,
  };
}
