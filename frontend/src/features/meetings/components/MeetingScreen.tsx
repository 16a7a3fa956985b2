import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { isApiError } from '../../../api/problem';
import type { Tally, TallyReport } from '../../../api/types';
import { isWithheld, withheldText } from '../../../lib/withheld';
import { tallyQuery } from '../api';
import { useCoalesced, useMeetingEvents, type LiveStatus } from '../events';
import { AGENDA_ROWS, currentSpeaker, PAGE_MS, RANKING_ROWS, screenPhase, usePaged } from '../paging';
import './screen.css';

/** At most five tally refetches a second, however many ballots land. */
export const REFETCH_INTERVAL_MS = 200;

function refusedKey(error: unknown): boolean {
  return isApiError(error) && error.kind === 'http' && [401, 403, 404].includes(error.status);
}

function percent(received: number, expected: number): number {
  if (expected <= 0) return received > 0 ? 100 : 0;
  return Math.min(100, Math.round((received / expected) * 100));
}

/** The big screen of a meeting hall: 1920×1080, dark, readable from the back row. */
export function MeetingScreen({ meetingId, screenKey }: { meetingId: number; screenKey: string }) {
  const { t } = useTranslation();
  // A screen keeps trying through any outage; only a refused key is final.
  const tally = useQuery({
    ...tallyQuery(meetingId, screenKey),
    retry: (_count, error) => !refusedKey(error),
    retryDelay: (n) => Math.min(1000 * 2 ** n, 10_000),
  });
  const refetch = useCoalesced(() => void tally.refetch(), REFETCH_INTERVAL_MS);
  const live = useMeetingEvents(meetingId, screenKey, refetch);
  // Without the stream (a proxy that buffers, a long outage) the screen still moves, more slowly.
  const { refetch: refetchNow } = tally;
  useEffect(() => {
    if (live === 'live') return undefined;
    const timer = setInterval(() => void refetchNow(), 5000);
    return () => clearInterval(timer);
  }, [live, refetchNow]);

  useEffect(() => {
    if (tally.data) document.title = `${tally.data.title} · ${t('screen.title')}`;
  }, [tally.data, t]);

  if (!tally.data) {
    const failure = tally.error ?? tally.failureReason;
    return (
      <div className="s-root s-center" data-testid="meeting-screen">
        <p className="s-message" role={failure ? 'alert' : 'status'}>
          {refusedKey(failure) ? t('screen.badKey') : failure ? t('screen.unreachable') : t('screen.loading')}
        </p>
      </div>
    );
  }

  return <ScreenView tally={tally.data} live={live} stale={tally.isError} />;
}

export function ScreenView({ tally, live, stale }: { tally: Tally; live: LiveStatus; stale?: boolean }) {
  const { t } = useTranslation();
  const phase = screenPhase(tally);
  // After the meeting no one is speaking, whoever spoke last.
  const current = currentSpeaker(tally);
  // Scores come only once revealed and with no report open for voting (the API sends none before).
  const visible = tally.scores_visible;
  const ranked = visible
    ? tally.reports
        .filter((report) => report.score !== null && report.score !== undefined)
        .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
    : [];

  return (
    <div className="s-root" data-testid="meeting-screen">
      <header className="s-header">
        <h1 className="s-title">{tally.title}</h1>
        <div className="s-header-side">
          <span className={`s-status s-status-${tally.status}`}>{t(`meetings.status.${tally.status}`)}</span>
          <ConnectionDot live={live} stale={stale} />
        </div>
      </header>
      <main className={`s-main${phase === 'ended' ? ' s-main-ended' : ''}`}>
        <section className="s-current" aria-live="polite" data-testid="screen-current">
          {phase === 'ended' ? (
            <Ended tally={tally} />
          ) : current ? (
            <>
              <p className="s-label">{t('screen.currentSpeaker')}</p>
              <p className="s-speaker">{current.org_name}</p>
              <p className="s-report-title">{current.title}</p>
              <p className={`s-voting s-voting-${current.voting}`}>{t(`screen.voting.${current.voting}`)}</p>
              {visible && current.score != null && (
                <p className="s-score-line" data-testid="screen-score">
                  {t('screen.score', { score: current.score, rank: current.rank ?? '–' })}
                </p>
              )}
              {visible && current.withheld && (
                <p className="s-score-line s-withheld" data-testid="screen-score-withheld">
                  {t('screen.scoreWithheld', { reason: withheldText(t, current) })}
                </p>
              )}
              {tally.revealed && !visible && (
                <p className="s-score-line s-withheld" data-testid="screen-scores-wait">
                  {t('screen.scoresWaitVoting')}
                </p>
              )}
              <Progress report={current} />
            </>
          ) : (
            <>
              <p className="s-label">{t('screen.currentSpeaker')}</p>
              <p className="s-speaker s-muted" data-testid="screen-no-speaker">
                {phase === 'waiting' ? t('screen.notStarted') : t('screen.noSpeaker')}
              </p>
            </>
          )}
        </section>
        <aside className="s-side">
          {visible ? <Ranking reports={ranked} /> : <AgendaProgress tally={tally} currentId={current?.report_id} />}
        </aside>
      </main>
    </div>
  );
}

function ConnectionDot({ live, stale }: { live: LiveStatus; stale?: boolean }) {
  const { t } = useTranslation();
  const state = stale ? 'reconnecting' : live;
  return (
    <span className={`s-conn s-conn-${state}`} role="status" data-testid="screen-connection">
      <span className="s-conn-dot" aria-hidden />
      {t(`screen.connection.${state}`)}
    </span>
  );
}

function Progress({ report }: { report: TallyReport }) {
  const { t } = useTranslation();
  return (
    <div className={`s-groups${report.groups.length > 3 ? ' s-groups-many' : ''}`} data-testid="screen-progress">
      {report.groups.map((group) => {
        const share = percent(group.received, group.expected);
        return (
          <div key={group.key} className="s-group" data-group={group.key}>
            <div className="s-group-head">
              <span className="s-group-name">
                {group.name}
                {group.score != null && <span className="s-group-score">{t('screen.groupScore', { score: group.score })}</span>}
                {isWithheld(group) && (
                  <span className="s-group-score s-withheld" data-testid={`withheld-${group.key}`}>
                    {withheldText(t, group)}
                  </span>
                )}
              </span>
              <span className="s-group-count" data-testid={`received-${group.key}`}>
                {t('screen.received', { received: group.received, expected: group.expected })}
              </span>
            </div>
            <div
              className="s-bar"
              role="progressbar"
              aria-label={group.name}
              aria-valuemin={0}
              aria-valuemax={group.expected}
              aria-valuenow={group.received}
            >
              <div className="s-bar-fill" style={{ width: `${share}%` }} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

function AgendaProgress({ tally, currentId }: { tally: Tally; currentId?: number }) {
  const { t } = useTranslation();
  // The speaker's page comes up when the speaker changes, so the hall sees where the meeting is.
  const focus = tally.reports.findIndex((report) => report.report_id === currentId);
  const { rows, page, pages } = usePaged(tally.reports, AGENDA_ROWS, PAGE_MS, focus);
  return (
    <section data-testid="screen-agenda">
      <SideTitle title={t('screen.agenda')} page={page} pages={pages} />
      <ol className="s-agenda">
        {rows.map((report) => {
          const received = report.groups.reduce((sum, g) => sum + g.received, 0);
          const expected = report.groups.reduce((sum, g) => sum + g.expected, 0);
          return (
            <li
              key={report.report_id}
              className={`s-agenda-item${report.report_id === currentId ? ' s-agenda-current' : ''}`}
            >
              <span className="s-agenda-name">{report.org_name}</span>
              <span className={`s-chip s-voting-${report.voting}`}>{t(`screen.voting.${report.voting}`)}</span>
              <span className="s-agenda-count">{t('screen.received', { received, expected })}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A side panel's title, with "第 2/3 页" while its rows take more than one page. */
function SideTitle({ title, page, pages }: { title: string; page: number; pages: number }) {
  const { t } = useTranslation();
  return (
    <div className="s-side-head">
      <h2 className="s-side-title">{title}</h2>
      {pages > 1 && (
        <span className="s-pager" data-testid="screen-pager" aria-live="off">
          {t('screen.page', { page, pages })}
        </span>
      )}
    </div>
  );
}

/** The final view's words: the meeting is over, how many reported, and whether the ranking beside is final. */
function Ended({ tally }: { tally: Tally }) {
  const { t } = useTranslation();
  return (
    <div data-testid="screen-ended">
      <p className="s-label">{t('screen.endedLabel')}</p>
      <p className="s-speaker s-ended-title">{t('screen.ended')}</p>
      <p className="s-report-title">{t('screen.endedSummary', { count: tally.reports.length })}</p>
      <p className={`s-score-line${tally.scores_visible ? '' : ' s-withheld'}`}>
        {tally.scores_visible ? t('screen.endedFinal') : t('screen.endedNoScores')}
      </p>
    </div>
  );
}

function Ranking({ reports }: { reports: TallyReport[] }) {
  const { t } = useTranslation();
  const top = Math.max(...reports.map((r) => Number(r.score ?? 0)), 0);
  const { rows, page, pages } = usePaged(reports, RANKING_ROWS);
  return (
    <section data-testid="screen-ranking">
      <SideTitle title={t('screen.ranking')} page={page} pages={pages} />
      {reports.length === 0 && <p className="s-muted s-small">{t('screen.noScores')}</p>}
      <ol className="s-ranking">
        {rows.map((report) => (
          <li key={report.report_id} className="s-rank-row">
            <span className="s-rank">{report.rank ?? '–'}</span>
            <span className="s-rank-body">
              <span className="s-rank-name">{report.org_name}</span>
              <span className="s-rank-bar">
                <span style={{ width: `${top > 0 ? (Number(report.score) / top) * 100 : 0}%` }} />
              </span>
            </span>
            <span className="s-rank-score">{report.score}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
