import { useQueries, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Empty, Space, Tree } from 'antd';
import type { TreeDataNode, TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { OrgPage, OrgRead } from '../../../api/types';
import { ErrorResult } from '../../../components/ErrorResult';
import { FullPageSpinner } from '../../../components/FullPageSpinner';
import { orgChildrenQuery, orgRootsQuery } from '../api';
import { InactiveTag, KindTag } from './KindTag';

interface OrgTreeProps {
  includeInactive?: boolean;
  selectedId?: number | null;
  onSelect?: (org: OrgRead) => void;
}

// Module-level so TanStack Query can keep the combined result stable between renders.
const childItems = (results: UseQueryResult<OrgPage>[]) => results.map((result) => result.data?.items);

function OrgTitle({ org }: { org: OrgRead }) {
  return (
    <Space size={4} data-org-id={org.id}>
      <span>{org.name}</span>
      <KindTag kind={org.kind} />
      {!org.is_active && <InactiveTag />}
    </Space>
  );
}

/** The organisation hierarchy, each level loaded from the API when it is first expanded. */
export function OrgTree({ includeInactive = false, selectedId = null, onSelect }: OrgTreeProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useQuery(orgRootsQuery(includeInactive));
  const [expandedKeys, setExpandedKeys] = useState<number[]>([]);
  // Every parent whose children were ever loaded stays subscribed, so edits anywhere refresh the tree.
  const [loadedParents, setLoadedParents] = useState<number[]>([]);
  const childLists = useQueries({
    queries: loadedParents.map((id) => orgChildrenQuery(id, includeInactive)),
    combine: childItems,
  });

  const { treeData, orgsById, loadedKeys } = useMemo(() => {
    const children = new Map<number, OrgRead[]>();
    loadedParents.forEach((id, index) => {
      const items = childLists[index];
      if (items) children.set(id, items);
    });
    const byId = new Map<number, OrgRead>();
    const toNode = (org: OrgRead): TreeDataNode => {
      byId.set(org.id, org);
      const kids = children.get(org.id);
      return {
        key: org.id,
        title: <OrgTitle org={org} />,
        isLeaf: org.children_count === 0 || kids?.length === 0,
        children: kids?.map(toNode),
      };
    };
    return {
      treeData: (roots.data?.items ?? []).map(toNode),
      orgsById: byId,
      loadedKeys: [...children.keys()],
    };
  }, [roots.data, loadedParents, childLists]);

  const loadData: TreeProps['loadData'] = async (node) => {
    const id = Number(node.key);
    await queryClient.ensureQueryData(orgChildrenQuery(id, includeInactive));
    setLoadedParents((current) => (current.includes(id) ? current : [...current, id]));
  };

  if (roots.isPending) return <FullPageSpinner />;
  if (roots.isError) return <ErrorResult error={roots.error} onRetry={() => void roots.refetch()} />;
  if (treeData.length === 0) return <Empty description={t('orgs.empty')} />;

  return (
    <Tree
      showLine
      blockNode
      treeData={treeData}
      loadData={loadData}
      loadedKeys={loadedKeys}
      expandedKeys={expandedKeys}
      onExpand={(keys) => setExpandedKeys(keys.map(Number))}
      selectedKeys={selectedId === null ? [] : [selectedId]}
      onSelect={(_, info) => {
        const org = orgsById.get(Number(info.node.key));
        if (org) onSelect?.(org);
      }}
      aria-label={t('orgs.tree')}
      data-testid="org-tree"
    />
  );
}
