import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDateTime } from '../../../lib/datetime';
import './results-print.css';

/** While the ranking page is open, printing prints its title, tier chart and table on A4 (results-print.css). */
export function usePrintableRanking() {
  useEffect(() => {
    document.body.classList.add('results-printing');
    return () => document.body.classList.remove('results-printing');
  }, []);
}

/** The title line only the printed page shows. */
export function PrintTitle({ cycleName }: { cycleName: string }) {
  const { t } = useTranslation();
  return (
    <div className="results-print-only" data-testid="print-title">
      <h1 className="results-print-title">{t('documents.print.title', { cycle: cycleName })}</h1>
      <p className="results-print-meta">{t('documents.print.printedAt', { at: formatDateTime(new Date().toISOString()) })}</p>
    </div>
  );
}

export function PrintButton() {
  const { t } = useTranslation();
  return (
    <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-ranking">
      {t('documents.print.action')}
    </Button>
  );
}
