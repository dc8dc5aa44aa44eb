import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import type { StaffAbility } from '../api/types';

type Item = { to: string; label: string; end?: boolean };

/**
 * The desk's top navigation: the everyday pages as links, the rest in three menus (work, quality
 * and people, management), each with only the pages this person's abilities open. A menu of one
 * page is shown as its link.
 */
export function DeskNav({ abilities }: { abilities: readonly StaffAbility[] }) {
  const { t } = useTranslation();
  const can = (a: StaffAbility) => abilities.includes(a);
  const supervises = can('supervise');
  const when = (ok: boolean, item: Item): Item[] => (ok ? [item] : []);

  const direct: Item[] = [
    { to: '/', label: t('nav.queue'), end: true },
    ...when(can('create_ticket'), { to: '/new', label: t('nav.new') }),
    ...when(supervises, { to: '/board', label: t('nav.board') }),
    { to: '/knowledge', label: t('nav.knowledge') },
    { to: '/incidents', label: t('nav.incidents') },
  ];
  const groups: { key: string; label: string; items: Item[] }[] = [
    {
      key: 'work',
      label: t('nav.groups.work'),
      items: [
        { to: '/chat', label: t('nav.chat') },
        { to: '/replies', label: t('nav.replies') },
        ...when(can('work_callbacks'), { to: '/callbacks', label: t('nav.callbacks') }),
        ...when(can('read_customers'), { to: '/referrals', label: t('nav.referrals') }),
        ...when(can('handle_privacy'), { to: '/privacy', label: t('nav.privacy') }),
      ],
    },
    {
      key: 'quality',
      label: t('nav.groups.quality'),
      items: [
        ...when(can('inspect_quality'), { to: '/qa/samples', label: t('nav.qaInspect') }),
        ...when(can('my_reviews'), { to: '/qa/reviews', label: t('nav.qaMine') }),
        ...when(can('supervise_quality'), { to: '/qa/overview', label: t('nav.qaOverview') }),
        ...when(supervises, { to: '/training', label: t('nav.training'), end: true }),
        { to: '/training/me', label: t('nav.myTraining') },
        ...when(!supervises, { to: '/appraisal/me', label: t('nav.myAppraisal') }),
      ],
    },
    {
      key: 'manage',
      label: t('nav.groups.manage'),
      items: [
        ...when(supervises, { to: '/kpi', label: t('nav.kpi') }),
        ...when(supervises, { to: '/wallboard', label: t('nav.wallboard') }),
        ...when(supervises, { to: '/appraisal', label: t('nav.appraisal'), end: true }),
        ...when(supervises, { to: '/deliveries', label: t('nav.deliveries') }),
        ...when(can('administer'), { to: '/admin', label: t('admin.title') }),
      ],
    },
  ];

  return (
    <nav aria-label={t('nav.main')}>
      {direct.map((i) => (
        <NavLink key={i.to} to={i.to} end={i.end}>
          {i.label}
        </NavLink>
      ))}
      {groups.map((g) =>
        g.items.length === 1 ? (
          <NavLink key={g.key} to={g.items[0]!.to} end={g.items[0]!.end}>
            {g.items[0]!.label}
          </NavLink>
        ) : g.items.length > 1 ? (
          <NavMenu key={g.key} name={g.key} label={g.label} items={g.items} />
        ) : null,
      )}
    </nav>
  );
}

/** One menu: highlighted while one of its pages is open, closed on a choice, Escape or a click elsewhere. */
function NavMenu({ name, label, items }: { name: string; label: string; items: Item[] }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const { pathname } = useLocation();
  const current = items.some((i) => (i.end ? pathname === i.to : pathname.startsWith(i.to)));
  useEffect(() => {
    const close = (e: Event) => {
      const el = menu.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) el.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details ref={menu} className={`nav-menu${current ? ' active' : ''}`} data-menu={name}>
      <summary>{label}</summary>
      <div className="menu" onClick={() => menu.current && (menu.current.open = false)}>
        {items.map((i) => (
          <NavLink key={i.to} to={i.to} end={i.end}>
            {i.label}
          </NavLink>
        ))}
      </div>
    </details>
  );
}
