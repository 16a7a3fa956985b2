import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';

import { MeetingScreen } from '../features/meetings/components/MeetingScreen';

/** /screen/:meetingId?key=… — the hall's big screen, opened with the meeting's screen key, no login. */
export default function ScreenPage() {
  const { t } = useTranslation();
  const meetingId = Number(useParams().meetingId);
  const [search] = useSearchParams();
  const key = search.get('key');
  if (!Number.isInteger(meetingId) || meetingId <= 0 || !key) {
    return (
      <div className="s-root s-center" data-testid="meeting-screen">
        <p className="s-message" role="alert">
          {t('screen.badKey')}
        </p>
      </div>
    );
  }
  return <MeetingScreen meetingId={meetingId} screenKey={key} />;
}
