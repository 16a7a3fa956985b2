import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type {
  MeasureCreate,
  MeasureUpdate,
  ProgrammeCreate,
  ProgrammeRead,
  ProgrammeUpdate,
  ProjectCreate,
  ProjectRead,
  ProjectUpdate,
  StageMoveIn,
  TargetsPut,
  TeamCreate,
  TeamUpdate,
} from '../../api/types';

export const targetKeys = {
  all: ['targets'] as const,
  programmes: () => [...targetKeys.all, 'programmes'] as const,
  programme: (id: number) => [...targetKeys.all, 'programme', id] as const,
  measures: (id: number) => [...targetKeys.programme(id), 'measures'] as const,
  targets: (id: number) => [...targetKeys.programme(id), 'targets'] as const,
  teams: (id: number) => [...targetKeys.programme(id), 'teams'] as const,
  projects: (id: number) => [...targetKeys.programme(id), 'projects'] as const,
  completion: (id: number, asOf: string) => [...targetKeys.programme(id), 'completion', asOf] as const,
  units: (hostId: number) => [...targetKeys.all, 'units', hostId] as const,
  project: (id: number) => [...targetKeys.all, 'project', id] as const,
};

export const programmesQuery = () =>
  queryOptions({
    queryKey: targetKeys.programmes(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes', { signal })),
    staleTime: 30_000,
  });

const path = (id: number) => ({ path: { programme_id: id } });

export const programmeQuery = (id: number) =>
  queryOptions({
    queryKey: targetKeys.programme(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes/{programme_id}', { params: path(id), signal })),
  });

export const measuresQuery = (id: number) =>
  queryOptions({
    queryKey: targetKeys.measures(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/measures', { params: path(id), signal })),
  });

export const targetsQuery = (id: number) =>
  queryOptions({
    queryKey: targetKeys.targets(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/targets', { params: path(id), signal })),
  });

export const teamsQuery = (id: number) =>
  queryOptions({
    queryKey: targetKeys.teams(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/teams', { params: path(id), signal })),
  });

export const projectsQuery = (id: number) =>
  queryOptions({
    queryKey: targetKeys.projects(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/projects', { params: path(id), signal })),
  });

export const completionQuery = (id: number, asOf: string) =>
  queryOptions({
    queryKey: targetKeys.completion(id, asOf),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/targets/programmes/{programme_id}/completion', {
          params: { path: { programme_id: id }, query: { as_of: asOf } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });

/** The organisations directly below a programme's host: the rows its targets are set on. */
export const unitsQuery = (hostId: number) =>
  queryOptions({
    queryKey: targetKeys.units(hostId),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/orgs', { params: { query: { parent_id: hostId, limit: 500 } }, signal }))).items,
    staleTime: 5 * 60_000,
  });

/** One organisation, to learn where a person's own unit sits (its parent). */
export const orgQuery = (id: number) =>
  queryOptions({
    queryKey: [...targetKeys.all, 'org', id] as const,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}', { params: { path: { org_id: id } }, signal })),
    staleTime: 5 * 60_000,
  });

function useInvalidate() {
  const queryClient = useQueryClient();
  return (key: readonly unknown[]) => queryClient.invalidateQueries({ queryKey: key });
}

export function useCreateProgramme() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ProgrammeCreate) => unwrap(api.POST('/api/v1/targets/programmes', { body })),
    onSuccess: () => invalidate(targetKeys.programmes()),
  });
}

export function useUpdateProgramme() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: ProgrammeUpdate }) =>
      unwrap(api.PATCH('/api/v1/targets/programmes/{programme_id}', { params: path(id), body })),
    onSuccess: (programme: ProgrammeRead) => {
      queryClient.setQueryData(targetKeys.programme(programme.id), programme);
      void queryClient.invalidateQueries({ queryKey: targetKeys.programmes() });
      // A new period moves the expected pace of every completion figure.
      void queryClient.invalidateQueries({ queryKey: targetKeys.programme(programme.id) });
    },
  });
}

export function useDeleteProgramme() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/targets/programmes/{programme_id}', { params: path(id) })),
    onSuccess: () => invalidate(targetKeys.programmes()),
  });
}

export function useSaveMeasure(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: MeasureCreate }) => {
      if (id === null) {
        return unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/measures', { params: path(programmeId), body }));
      }
      // The key names the measure in targets and formulas: it is set once, so a change leaves it out.
      const patch: MeasureUpdate = {
        name: body.name,
        unit: body.unit,
        more_is_better: body.more_is_better,
        weight: body.weight,
        stage: body.stage,
        basis: body.basis,
        position: body.position,
      };
      return unwrap(
        api.PATCH('/api/v1/targets/programmes/{programme_id}/measures/{measure_id}', {
          params: { path: { programme_id: programmeId, measure_id: id } },
          body: patch,
        }),
      );
    },
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

export function useDeleteMeasure(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.DELETE('/api/v1/targets/programmes/{programme_id}/measures/{measure_id}', {
          params: { path: { programme_id: programmeId, measure_id: id } },
        }),
      ),
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

export function usePutTargets(programmeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TargetsPut) =>
      unwrap(api.PUT('/api/v1/targets/programmes/{programme_id}/targets', { params: path(programmeId), body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(targetKeys.targets(programmeId), saved);
      // Completion follows the targets.
      void queryClient.invalidateQueries({ queryKey: [...targetKeys.programme(programmeId), 'completion'] });
    },
  });
}

export function useSaveTeam(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: TeamCreate & TeamUpdate }) =>
      id === null
        ? unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/teams', { params: path(programmeId), body }))
        : unwrap(
            api.PATCH('/api/v1/targets/programmes/{programme_id}/teams/{team_id}', {
              params: { path: { programme_id: programmeId, team_id: id } },
              body,
            }),
          ),
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

export function useDeleteTeam(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.DELETE('/api/v1/targets/programmes/{programme_id}/teams/{team_id}', {
          params: { path: { programme_id: programmeId, team_id: id } },
        }),
      ),
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

export function useCreateProject(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ProjectCreate) =>
      unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/projects', { params: path(programmeId), body })),
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

export function useUpdateProject(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: ProjectUpdate }) =>
      unwrap(api.PATCH('/api/v1/targets/projects/{project_id}', { params: { path: { project_id: id } }, body })),
    onSuccess: () => invalidate(targetKeys.programme(programmeId)),
  });
}

/**
 * Move a project's stage; the dialog's changed details (evidence, amounts) are saved first, so the move is
 * recorded on the project as it then stands.
 */
export function useMoveStage(programmeId: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, move, details }: { id: number; move: StageMoveIn; details?: ProjectUpdate }): Promise<ProjectRead> => {
      if (details && Object.keys(details).length > 0) {
        await unwrap(api.PATCH('/api/v1/targets/projects/{project_id}', { params: { path: { project_id: id } }, body: details }));
      }
      return unwrap(api.POST('/api/v1/targets/projects/{project_id}/stage', { params: { path: { project_id: id } }, body: move }));
    },
    // Invalidated on failure too: the details may have been saved although the move was refused.
    onSettled: () => invalidate(targetKeys.programme(programmeId)),
  });
}
