import { useMemo, useState } from 'preact/hooks';
import { gql } from '../api';
import { graphql } from '../gql';
import type { BoardIncidentsQuery, Severity } from '../gql/graphql';
import { t } from '../i18n';
import { countdown, ErrorBox, label, SEVERITIES, SEVERITY_ZH, STATUS_ZH, useLoad, useNow } from '../util';

export const BoardIncidents = graphql(`
  query BoardIncidents($first: Int!, $after: String, $filter: IncidentFilter) {
    incidents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          externalRef
          category
          subtype
          severity
          status
          ownerDepartment
          acknowledgeBy
          resolveBy
          acknowledgedAt
          clock {
            paused
          }
          actions {
            code
            label
            dueAt
            done
            overdue
          }
          breaches {
            id
            settledAt
          }
        }
      }
    }
  }
`);

export type BoardIncident = BoardIncidentsQuery['incidents']['edges'][number]['node'];

/** The first screen's worth: asked for alone so the board shows it at once, the rest following. */
export const FIRST_SCREEN = 40;
/** The server's page size at most (MAX_PAGE_SIZE, 200 by default): what each later request asks for. */
const PAGE = 200;

/**
 * Every open incident (OPEN and ACKNOWLEDGED), page after page: a first small page for the
 * first screen, then pages of PAGE; `onPage` sees what has come so far and the total (the board
 * renders the first screen while the rest is still on its way).
 */
export async function loadOpenIncidents(onPage?: (soFar: BoardIncident[], total: number) => void): Promise<BoardIncident[]> {
  const all: BoardIncident[] = [];
  let after: string | null | undefined = null;
  for (let first = FIRST_SCREEN; ; first = PAGE) {
    const data: BoardIncidentsQuery = await gql(BoardIncidents, { first, after, filter: { status: ['OPEN', 'ACKNOWLEDGED'] } });
    for (const e of data.incidents.edges) all.push(e.node);
    if (!data.incidents.pageInfo.hasNextPage) return all;
    onPage?.([...all], data.incidents.totalCount);
    after = data.incidents.pageInfo.endCursor;
  }
}

/** The next deadline that matters: the first due action not done, else acknowledge/resolve. */
export function nextDue(i: BoardIncident): { what: string; at: string | null } {
  const action = i.actions.filter((a) => !a.done && a.dueAt).sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  if (action) return { what: action.label ?? action.code, at: action.dueAt ?? null };
  if (!i.acknowledgedAt && i.acknowledgeBy) return { what: t('受理时限'), at: i.acknowledgeBy };
  return { what: t('办结时限'), at: i.resolveBy ?? null };
}

export function Board() {
  const [partial, setPartial] = useState<{ list: BoardIncident[]; total: number } | null>(null);
  const { data: loaded, error, loading, reload } = useLoad(() => loadOpenIncidents((list, total) => setPartial({ list, total })), []);
  const data = loaded ?? partial?.list ?? null;
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [category, setCategory] = useState('');
  const [owner, setOwner] = useState('');
  const [query, setQuery] = useState('');
  // Cards rendered per lane (the rest behind 显示更多): the countdowns re-render every second.
  const [shownPerLane, setShownPerLane] = useState(30);
  const now = useNow();
  const incidents = data ?? [];
  const categories = useMemo(() => [...new Set(incidents.map((i) => i.category))].sort(), [data]);
  const owners = useMemo(() => [...new Set(incidents.map((i) => i.ownerDepartment))].sort(), [data]);
  const shown = incidents.filter(
    (i) =>
      (!severity || i.severity === severity) &&
      (!category || i.category === category) &&
      (!owner || i.ownerDepartment === owner) &&
      (!query || i.externalRef.includes(query)),
  );
  // Within a lane, the most pressing first: by the next due time (paused clocks last).
  const dueOf = useMemo(() => new Map(incidents.map((i) => [i.id, i.clock.paused ? Infinity : Date.parse(nextDue(i).at ?? '') || Infinity])), [data]);
  const bySeverity = SEVERITIES.map((s) => ({ s, list: shown.filter((i) => i.severity === s).sort((a, b) => dueOf.get(a.id)! - dueOf.get(b.id)!) }));
  return (
    <section>
      <div class="toolbar">
        <h2>
          {t('未结事件')} <span data-testid="open-count">{incidents.length}</span>
          {!loaded && partial && <span class="muted"> / {partial.total}</span>}
        </h2>
        <select aria-label={t('严重程度')} value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity | '')}>
          <option value="">
            {t('严重程度')}: {t('全部')}
          </option>
          {SEVERITIES.map((s) => (
            <option value={s}>{label(SEVERITY_ZH, s)}</option>
          ))}
        </select>
        <select aria-label={t('类别')} value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
          <option value="">
            {t('类别')}: {t('全部')}
          </option>
          {categories.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
        <select aria-label={t('责任部门')} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">
            {t('责任部门')}: {t('全部')}
          </option>
          {owners.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
        <input type="search" placeholder="externalRef" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button onClick={reload}>{t('刷新')}</button>
      </div>
      <ErrorBox error={error} />
      {loading && !data && <p>{t('加载中…')}</p>}
      <div class="lanes">
        {bySeverity.map(({ s, list }) => (
          <div class={`lane sev-${s}`} data-severity={s}>
            <h3>
              {label(SEVERITY_ZH, s)} <span class="count">{list.length}</span>
            </h3>
            {list.slice(0, shownPerLane).map((i) => (
              <Card key={i.id} i={i} now={now} />
            ))}
            {list.length > shownPerLane && (
              <button class="link more" onClick={() => setShownPerLane(shownPerLane + 100)}>
                {t('显示更多')} (+{list.length - shownPerLane})
              </button>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

function Card({ i, now }: { i: BoardIncident; now: number }) {
  const due = nextDue(i);
  const c = i.clock.paused ? { text: t('已暂停'), state: 'none' as const } : countdown(due.at, now);
  // Breached: a breach the server recorded, an action it marks overdue, or a countdown past zero (before the scheduler's next tick).
  const breached = i.breaches.some((b) => !b.settledAt) || i.actions.some((a) => a.overdue) || c.state === 'breach';
  const state = breached ? 'breach' : c.state;
  return (
    <a class={`incident state-${state}`} href={`#/incidents/${encodeURIComponent(i.id)}`} data-ref={i.externalRef}>
      <div class="row">
        <b>{i.externalRef}</b>
        {breached && <span class="badge breach">{t('已超时')}</span>}
        {!breached && c.state === 'warn' && <span class="badge warn">{t('即将超时')}</span>}
        {i.clock.paused && <span class="badge">{t('已暂停')}</span>}
      </div>
      <div class="row muted">
        {i.category}
        {i.subtype ? ` / ${i.subtype}` : ''} · {i.ownerDepartment} · {label(STATUS_ZH, i.status)}
      </div>
      <div class="row">
        <span>{due.what}</span>
        <span class={`countdown ${c.state}`}>{c.text}</span>
      </div>
    </a>
  );
}
