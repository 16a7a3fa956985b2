import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

import { programmesQuery } from './api';
import { defaultProgramme } from './logic';

/**
 * The programme a page shows, kept in the address (?programme=7) so it can be linked and survives a reload:
 * the one asked for, else the first active one, else the newest.
 */
export function useProgrammeChoice() {
  const [params, setParams] = useSearchParams();
  const programmes = useQuery(programmesQuery());
  const wanted = Number(params.get('programme')) || undefined;
  const programme = programmes.data ? defaultProgramme(programmes.data, wanted) : undefined;
  const choose = useCallback(
    (id: number) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('programme', String(id));
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { programme, programmes, choose, params, setParams };
}
