import { useTeams } from './useTeams';

/** A choice of one team, or none (the first option, labelled `noneLabel`). */
export function TeamSelect(props: { value: string; onChange: (teamId: string) => void; noneLabel: string }) {
  const teams = useTeams();
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{props.noneLabel}</option>
      {teams.data?.items.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </select>
  );
}
