import { useParams } from 'react-router-dom';

import { MeetingConsole } from '../features/meetings/components/MeetingConsole';
import { NotFoundPage } from './NotFoundPage';

export default function MeetingConsolePage() {
  const meetingId = Number(useParams().meetingId);
  if (!Number.isInteger(meetingId) || meetingId <= 0) return <NotFoundPage />;
  return <MeetingConsole key={meetingId} meetingId={meetingId} />;
}
