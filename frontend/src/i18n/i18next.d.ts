import 'i18next';

import type batchZhCN from './batch.zh-CN.json';
import type documentsZhCN from './documents.zh-CN.json';
import type homeZhCN from './home.zh-CN.json';
import type ledgerZhCN from './ledger.zh-CN.json';
import type meetingsZhCN from './meetings.zh-CN.json';
import type paperZhCN from './paper.zh-CN.json';
import type petitionsZhCN from './petitions.zh-CN.json';
import type resultsZhCN from './results.zh-CN.json';
import type supervisionZhCN from './supervision.zh-CN.json';
import type targetsZhCN from './targets.zh-CN.json';
import type vetofactsZhCN from './vetofacts.zh-CN.json';
import type voteZhCN from './vote.zh-CN.json';
import type zhCN from './zh-CN.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN & typeof homeZhCN & typeof meetingsZhCN & typeof resultsZhCN & typeof voteZhCN & typeof ledgerZhCN & typeof batchZhCN & typeof documentsZhCN & typeof paperZhCN & typeof petitionsZhCN & typeof targetsZhCN & typeof supervisionZhCN & typeof vetofactsZhCN };
  }
}
