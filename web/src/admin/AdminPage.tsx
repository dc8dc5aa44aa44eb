import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';

// The admin console: one section per thing an administrator configures, each its own chunk.
// A section is a default-exported component in this folder; add it to SECTIONS and it gets a
// link in the side bar and a route under /admin/<path>.
const SECTIONS = [
  { path: 'routing', component: lazy(() => import('./RoutingRulesSection')) },
  { path: 'sla', component: lazy(() => import('./SlaPoliciesSection')) },
  { path: 'calendars', component: lazy(() => import('./CalendarsSection')) },
  { path: 'categories', component: lazy(() => import('./CategoriesSection')) },
  { path: 'teams', component: lazy(() => import('./TeamsSection')) },
  { path: 'staff', component: lazy(() => import('./StaffSection')) },
  { path: 'channels', component: lazy(() => import('./ChannelsSection')) },
  { path: 'root-causes', component: lazy(() => import('./RootCausesSection')) },
  { path: 'phrases', component: lazy(() => import('./PhrasesSection')) },
  { path: 'scorecards', component: lazy(() => import('./ScorecardsSection')) },
  { path: 'calibrations', component: lazy(() => import('./CalibrationsSection')) },
  { path: 'survey-templates', component: lazy(() => import('./SurveyTemplatesSection')) },
  { path: 'synonyms', component: lazy(() => import('./SynonymsSection')) },
  { path: 'kpi', component: lazy(() => import('./KpiSettingsSection')) },
] as const;

export default function AdminPage() {
  const { t } = useTranslation();
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t('admin.title')}>
        <h1>{t('admin.title')}</h1>
        {SECTIONS.map((s) => (
          <NavLink key={s.path} to={`/admin/${s.path}`}>
            {t(`admin.section.${s.path}`)}
          </NavLink>
        ))}
      </nav>
      <section className="admin-body">
        <Suspense fallback={<p className="loading">{t('list.loading')}</p>}>
          <Routes>
            <Route index element={<Navigate to={SECTIONS[0].path} replace />} />
            {SECTIONS.map((s) => (
              <Route key={s.path} path={`${s.path}/*`} element={<s.component />} />
            ))}
          </Routes>
        </Suspense>
      </section>
    </div>
  );
}
