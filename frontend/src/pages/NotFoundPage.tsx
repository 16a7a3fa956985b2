import { Flex } from 'antd';

import { NotFoundResult } from '../components/ErrorResult';

export function NotFoundPage() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }} data-testid="not-found">
      <NotFoundResult />
    </Flex>
  );
}
