import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../../api/problem';
import type { VoteMeeting } from '../../../api/types';
import { fetchMyMeetings } from '../api';

/** A named evaluator's meetings on the phone, each linking to its ballot page. */
export function MyBallotMeetings({ onUnauthorized }: { onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const [meetings, setMeetings] = useState<VoteMeeting[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    fetchMyMeetings(controller.signal).then(setMeetings, (error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
      else setFailed(true);
    });
    return () => controller.abort();
  }, [onUnauthorized]);

  return (
    <section className="v-page">
      <h1 className="v-title">{t('vote.mine.title')}</h1>
      {failed && (
        <p className="v-notice v-notice-error" role="alert">
          {t('vote.errors.load')}
        </p>
      )}
      {meetings === null && !failed && <p className="v-loading">{t('vote.loading')}</p>}
      {meetings?.length === 0 && <p className="v-notice">{t('vote.mine.empty')}</p>}
      <ul className="v-agenda-list">
        {meetings?.map((meeting) => (
          <li key={meeting.meeting_id}>
            <a className="v-agenda-item" href={`/vote/meeting/${meeting.meeting_id}`}>
              <span className="v-agenda-name">{meeting.meeting_title}</span>
              <span className={`v-badge v-badge-${meeting.status === 'live' ? 'open' : meeting.status === 'ended' ? 'closed' : 'pending'}`}>
                {t(`vote.mine.status.${meeting.status}`)}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
