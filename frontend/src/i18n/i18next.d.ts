import 'i18next';

import type meetingsZhCN from './meetings.zh-CN.json';
import type voteZhCN from './vote.zh-CN.json';
import type zhCN from './zh-CN.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN & typeof meetingsZhCN & typeof voteZhCN };
  }
}
