import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

import type { ResultItem } from '../../../api/types';
import type { ItemTitles } from '../model';
import { describeTierRule, groupName, itemNames, parseConsistencyFlag } from '../model';

/** What a report's result is marked with — flagged, vetoed, incomplete, quorum, consistency — each with its meaning on hover. */
export function FlagTags({ item, titles }: { item: ResultItem; titles?: ItemTitles }) {
  const { t } = useTranslation();
  const tags = [];
  if (item.flagged) {
    tags.push(
      <Tooltip key="flagged" title={t('results.flags.flaggedHint')}>
        <Tag color="red" data-testid="flag-flagged">
          {t('results.flags.flagged')}
        </Tag>
      </Tooltip>,
    );
  }
  if (item.vetoed) {
    tags.push(
      <Tooltip key="vetoed" title={t('results.flags.vetoedHint', { rule: describeTierRule(t, item.tier_rule, undefined, titles) })}>
        <Tag color="magenta" data-testid="flag-vetoed">
          {t('results.flags.vetoed')}
        </Tag>
      </Tooltip>,
    );
  }
  if (item.incomplete) {
    tags.push(
      <Tooltip key="incomplete" title={t('results.flags.incompleteHint')}>
        <Tag color="default" data-testid="flag-incomplete">
          {t('results.flags.incomplete')}
        </Tag>
      </Tooltip>,
    );
  } else if (!item.quorum_ok) {
    const short = item.groups.filter((group) => !group.quorum_ok);
    const groups = short.map((group) => t('results.flags.quorumGroup', { group: group.name, ballots: group.ballots, quorum: group.quorum }));
    tags.push(
      <Tooltip key="quorum" title={t('results.flags.quorumHint', { groups: groups.join('；') || '—' })}>
        <Tag color="volcano" data-testid="flag-quorum">
          {t('results.flags.quorum')}
        </Tag>
      </Tooltip>,
    );
  }
  if (item.missing_indicators.length > 0) {
    tags.push(
      <Tooltip key="missing" title={t('results.flags.missingHint', { items: itemNames(item.missing_indicators, titles) })}>
        <Tag color="gold" data-testid="flag-missing">
          {t('results.flags.missing')}
        </Tag>
      </Tooltip>,
    );
  }
  for (const raw of item.consistency_flags) {
    const flag = parseConsistencyFlag(raw);
    const group = groupName(item, flag.group);
    tags.push(
      <Tooltip key={raw} title={flag.kind === 'other' ? raw : t(`results.consistency.${flag.kind}Hint`, { group })}>
        <Tag color="purple" data-testid={`flag-${flag.kind}`}>
          {flag.kind === 'other' ? raw : t(`results.consistency.${flag.kind}`, { group })}
        </Tag>
      </Tooltip>,
    );
  }
  if (tags.length === 0) return null;
  return (
    <Space size={[0, 4]} wrap>
      {tags}
    </Space>
  );
}
