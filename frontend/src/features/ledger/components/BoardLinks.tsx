import { QrcodeOutlined, ShareAltOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

/** The public rectification board (/board, in a new tab) and, for staff, its printable QR poster. */
export function BoardLinks({ poster }: { poster: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space wrap size="small" className="results-no-print">
      <Button icon={<ShareAltOutlined />} href="/board" target="_blank" rel="noopener" data-testid="board-link">
        {t('documents.board.open')}
      </Button>
      {poster && (
        <Button icon={<QrcodeOutlined />} onClick={() => navigate('/board/poster')} data-testid="board-poster-link">
          {t('documents.board.poster')}
        </Button>
      )}
    </Space>
  );
}
