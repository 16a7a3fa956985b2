import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../../api/problem';
import type { BallotCreate, BallotForm, BallotFormReport } from '../../../api/types';
import { classifyBallotError, isRetryable, MAX_TRIES, newIdempotencyKey, submitBallot, type BallotAuth, type BallotProblem } from '../api';
import { ballotMemory, sameBallot } from '../storage';
import { useBallotForm } from '../useBallotForm';
import { BallotSheet, EMPTY_DRAFT, type Draft } from './BallotSheet';
import { Receipt } from './Receipt';

type Outcome = { kind: 'accepted'; receipt: string } | { kind: 'failed'; problem: BallotProblem; detail: string; canRetry: boolean };

interface Sending {
  reportId: number;
  attempt: number;
}

/** The report to show: the one the voter picked, else the current speaker, else the first open one. */
function pickReport(form: BallotForm, picked: number | null): BallotFormReport | undefined {
  const byId = (id: number | null) => (id === null ? undefined : form.reports.find((report) => report.report_id === id));
  return (
    byId(picked) ??
    byId(form.current_report_id) ??
    form.reports.find((report) => report.voting === 'open' && !report.voted) ??
    form.reports.find((report) => report.voting === 'open') ??
    form.reports[0]
  );
}

function problemDetail(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : '';
  const fields = (error.problem.errors ?? []).map((e) => e.msg).filter(Boolean);
  return fields.length > 0 ? fields.join('; ') : (error.problem.detail ?? error.problem.title);
}

interface Props {
  auth: BallotAuth;
  /** Called when the server says the session is gone (named ballots). */
  onUnauthorized?: () => void;
}

/** The phone ballot page for one meeting: which speaker is open, the ballot, the receipt, and what went wrong. */
export function BallotPage({ auth, onUnauthorized }: Props) {
  const { t } = useTranslation();
  const { form, error, loadedAt, stopped, refresh } = useBallotForm(auth);
  const [picked, setPicked] = useState<number | null>(null);
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [outcomes, setOutcomes] = useState<Record<number, Outcome>>({});
  const [receipts, setReceipts] = useState<Record<string, string>>(() => ballotMemory.receipts(auth));
  const [revoting, setRevoting] = useState<Record<number, boolean>>({});
  const [sending, setSending] = useState<Sending | null>(null);
  const speaker = useRef<number | null>(null);

  // A new speaker takes the page to their report, unless the voter is halfway through another open ballot.
  useEffect(() => {
    if (!form || form.current_report_id === speaker.current) return;
    speaker.current = form.current_report_id;
    setPicked((current) => {
      if (current === null) return null;
      const report = form.reports.find((r) => r.report_id === current);
      const busy = report?.voting === 'open' && Object.keys(drafts[current]?.values ?? {}).length > 0 && !report.voted;
      return busy ? current : null;
    });
  }, [form, drafts]);

  useEffect(() => {
    if (stopped && error instanceof ApiError && error.status === 401) onUnauthorized?.();
  }, [stopped, error, onUnauthorized]);

  useEffect(() => {
    if (form) document.title = `${form.meeting_title} · ${t('vote.title')}`;
  }, [form, t]);

  if (!form) {
    if (error) return <LoadError error={error} stopped={stopped} />;
    return (
      <p className="v-loading" role="status">
        {t('vote.loading')}
      </p>
    );
  }

  const report = pickReport(form, picked);

  const send = async (body: BallotCreate) => {
    const reportId = body.report_id;
    const pending = ballotMemory.pending(auth, reportId);
    // The same ballot again (after a lost answer) must reuse its key so the server counts it once.
    const key = pending && sameBallot(pending.body, body) ? pending.key : newIdempotencyKey();
    ballotMemory.setPending(auth, reportId, { key, body });
    setSending({ reportId, attempt: 1 });
    setOutcomes((current) => {
      const rest = { ...current };
      delete rest[reportId];
      return rest;
    });
    try {
      const answer = await submitBallot(auth, form.meeting_id, body, key, {
        onRetry: (attempt) => setSending({ reportId, attempt }),
      });
      ballotMemory.accept(auth, reportId, answer.receipt);
      setReceipts((current) => ({ ...current, [reportId]: answer.receipt }));
      setOutcomes((current) => ({ ...current, [reportId]: { kind: 'accepted', receipt: answer.receipt } }));
      setDrafts((current) => ({ ...current, [reportId]: EMPTY_DRAFT }));
      setRevoting((current) => ({ ...current, [reportId]: false }));
      refresh();
    } catch (failure) {
      const canRetry = isRetryable(failure);
      // A refusal stored nothing, so the next attempt is a new ballot with a new key.
      if (!canRetry) ballotMemory.clearPending(auth, reportId);
      const problem = classifyBallotError(failure);
      setOutcomes((current) => ({
        ...current,
        [reportId]: { kind: 'failed', problem, detail: problemDetail(failure), canRetry },
      }));
      if (problem === 'unauthorized') onUnauthorized?.();
      else refresh();
    } finally {
      setSending(null);
    }
  };

  const retry = (reportId: number) => {
    const pending = ballotMemory.pending(auth, reportId);
    if (pending) void send(pending.body);
  };

  // Signed in to an anonymous group, a voter casts like a code holder: once, and named nowhere.
  const named = auth.kind === 'named' && !form.anonymous;

  // Another report still waiting for this voter's ballot, if any.
  const nextOpen = form.reports.find(
    (r) => r.voting === 'open' && !r.voted && !receipts[r.report_id] && r.report_id !== report?.report_id,
  );
  const next = nextOpen ? () => setPicked(nextOpen.report_id) : undefined;

  return (
    <div className="v-page">
      <MeetingHeader form={form} anonymous={!named} />
      <ConnectionNotice error={error} loadedAt={loadedAt} />
      {form.status !== 'live' && (
        <p className="v-notice v-notice-warn" role="status" data-testid="meeting-status">
          {form.status === 'ended' ? t('vote.errors.meetingEnded') : t('vote.errors.meetingNotLive')}
        </p>
      )}
      <CurrentSpeaker form={form} />
      {report && (
        <ReportPanel
          key={report.report_id}
          report={report}
          form={form}
          named={named}
          draft={drafts[report.report_id] ?? EMPTY_DRAFT}
          onDraftChange={(draft) => setDrafts((current) => ({ ...current, [report.report_id]: draft }))}
          outcome={outcomes[report.report_id]}
          receipt={receipts[report.report_id]}
          sending={sending}
          revoting={revoting[report.report_id] ?? false}
          onRevote={() => setRevoting((current) => ({ ...current, [report.report_id]: true }))}
          onSubmit={(body) => void send(body)}
          onRetry={() => retry(report.report_id)}
          onNext={next}
        />
      )}
      <Agenda form={form} selected={report?.report_id} receipts={receipts} onPick={setPicked} />
    </div>
  );
}

function MeetingHeader({ form, anonymous }: { form: BallotForm; anonymous: boolean }) {
  const { t } = useTranslation();
  return (
    <header className="v-header">
      <h1 className="v-title">{form.meeting_title}</h1>
      <p className="v-subtitle">
        {t('vote.group', { name: form.group_name })} · {anonymous ? t('vote.anonymous') : t('vote.named')}
      </p>
    </header>
  );
}

function ConnectionNotice({ error, loadedAt }: { error: unknown; loadedAt: number | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!error) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [error]);
  if (!error) return null;
  const offline = error instanceof ApiError && error.kind === 'network';
  return (
    <p className="v-notice v-notice-warn" role="status" data-testid="connection-notice">
      {offline
        ? t('vote.connection.offline')
        : t('vote.connection.stale', { seconds: Math.max(0, Math.round((now - (loadedAt ?? now)) / 1000)) })}
    </p>
  );
}

function CurrentSpeaker({ form }: { form: BallotForm }) {
  const { t } = useTranslation();
  const current = form.reports.find((r) => r.report_id === form.current_report_id);
  return (
    <section className="v-speaker" aria-live="polite" data-testid="current-speaker">
      {current ? (
        <>
          <p className="v-speaker-label">{t('vote.currentSpeaker')}</p>
          <p className="v-speaker-name">{current.org_name}</p>
          <VotingBadge report={current} />
        </>
      ) : (
        <p className="v-speaker-label">{t('vote.noSpeaker')}</p>
      )}
    </section>
  );
}

function VotingBadge({ report }: { report: BallotFormReport }) {
  const { t } = useTranslation();
  return (
    <span className="v-badges">
      <span className={`v-badge v-badge-${report.voting}`}>{t(`vote.voting.${report.voting}`)}</span>
      {report.voted && <span className="v-badge v-badge-voted">{t('vote.voted')}</span>}
    </span>
  );
}

interface PanelProps {
  report: BallotFormReport;
  form: BallotForm;
  named: boolean;
  draft: Draft;
  onDraftChange: (draft: Draft) => void;
  outcome: Outcome | undefined;
  receipt: string | undefined;
  sending: Sending | null;
  revoting: boolean;
  onRevote: () => void;
  onSubmit: (body: BallotCreate) => void;
  onRetry: () => void;
  onNext: (() => void) | undefined;
}

function ReportPanel({
  report,
  form,
  named,
  draft,
  onDraftChange,
  outcome,
  receipt,
  sending,
  revoting,
  onRevote,
  onSubmit,
  onRetry,
  onNext,
}: PanelProps) {
  const { t } = useTranslation();
  const mine = sending?.reportId === report.report_id;
  const accepted = outcome?.kind === 'accepted' ? outcome.receipt : undefined;

  let body;
  if (accepted) {
    body = <Receipt receipt={accepted} named={named} onNext={onNext} />;
  } else if (report.voted && !(named && report.voting === 'open' && revoting)) {
    body = (
      <>
        {receipt && <Receipt receipt={receipt} named={named} />}
        <p className="v-notice v-notice-ok">{named ? t('vote.namedVotedHint') : t('vote.votedHint')}</p>
        {named && report.voting === 'open' && (
          <button type="button" className="v-button v-button-secondary" onClick={onRevote}>
            {t('vote.revote')}
          </button>
        )}
      </>
    );
  } else if (report.voting === 'pending') {
    body = <p className="v-notice">{t('vote.pendingHint')}</p>;
  } else if (report.voting === 'closed') {
    body = <p className="v-notice">{t('vote.closedHint')}</p>;
  } else {
    body = (
      <BallotSheet
        form={form}
        reportId={report.report_id}
        draft={draft}
        onDraftChange={onDraftChange}
        onSubmit={onSubmit}
        sending={mine}
        disabled={report.voting !== 'open'}
      />
    );
  }

  return (
    <section className="v-panel" aria-labelledby="report-title" data-testid="report-panel">
      <h2 id="report-title" className="v-report-title">
        {report.org_name}
      </h2>
      {report.title && <p className="v-report-subtitle">{report.title}</p>}
      <VotingBadge report={report} />
      {mine && sending.attempt > 1 && (
        <p className="v-notice v-notice-warn" role="status" data-testid="retrying">
          {t('vote.retrying', { attempt: sending.attempt, max: MAX_TRIES })}
        </p>
      )}
      {outcome?.kind === 'failed' && (
        <div className="v-notice v-notice-error" role="alert" data-testid="ballot-error">
          <p>{t(`vote.errors.${messageKey(outcome.problem)}`, { detail: outcome.detail })}</p>
          {outcome.canRetry && (
            <button type="button" className="v-button v-button-primary" onClick={onRetry} disabled={Boolean(sending)}>
              {t('vote.retry')}
            </button>
          )}
        </div>
      )}
      {body}
    </section>
  );
}

function messageKey(problem: BallotProblem): Exclude<BallotProblem, 'unauthorized'> {
  return problem === 'unauthorized' ? 'notEvaluator' : problem;
}

function Agenda({
  form,
  selected,
  receipts,
  onPick,
}: {
  form: BallotForm;
  selected: number | undefined;
  receipts: Record<string, string>;
  onPick: (id: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="v-agenda" aria-label={t('vote.agenda')}>
      <h2 className="v-section-title">{t('vote.agenda')}</h2>
      <ol className="v-agenda-list">
        {form.reports.map((report) => (
          <li key={report.report_id}>
            <button
              type="button"
              className={`v-agenda-item${report.report_id === selected ? ' v-agenda-on' : ''}`}
              aria-current={report.report_id === selected ? 'true' : undefined}
              onClick={() => onPick(report.report_id)}
            >
              <span className="v-agenda-name">
                {report.org_name}
                {report.report_id === form.current_report_id && <span className="v-dot" aria-hidden />}
              </span>
              <span className={`v-badge v-badge-${report.voting}`}>{t(`vote.voting.${report.voting}`)}</span>
              {(report.voted || receipts[report.report_id]) && <span className="v-badge v-badge-voted">{t('vote.voted')}</span>}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function LoadError({ error, stopped }: { error: unknown; stopped: boolean }) {
  const { t } = useTranslation();
  const problem = classifyBallotError(error);
  const final = stopped || (problem !== 'network' && problem !== 'server');
  return (
    <section className="v-page">
      <div className="v-notice v-notice-error" role="alert" data-testid="load-error">
        <p className="v-strong">{t('vote.errors.load')}</p>
        <p>{final ? t(`vote.errors.${messageKey(problem)}`, { detail: problemDetail(error) }) : t('vote.errors.loadDetail')}</p>
      </div>
    </section>
  );
}
