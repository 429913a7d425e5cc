import { Suspense, useEffect } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import {
  ActionIcon,
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Select,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useProjects } from '../projects/useProjects';
import { isAdmin, useSession, useSignOut } from '../session/useSession';
import { Loading } from './States';

/** The frame around every signed-in screen: project picker, navigation, who is signed in, dark mode. */
export default function Layout() {
  const { session } = useSession();
  const { project } = useParams();
  const { projects } = useProjects();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const signOut = useSignOut();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');

  useEffect(close, [location.pathname, close]);

  const projectLinks: [string, string][] = project
    ? [
        ['Flags', `/projects/${project}/flags`],
        ['Segments', `/projects/${project}/segments`],
        ['Metrics', `/projects/${project}/metrics`],
        ['Why did K get T?', `/projects/${project}/evaluate`],
        ['SDK keys', `/projects/${project}/sdk-keys`],
        ['Alerts', `/projects/${project}/alerts`],
        ['Schedules', `/projects/${project}/schedules`],
        ['Teams and channels', `/projects/${project}/teams`],
        ['Notifications', `/projects/${project}/notifications`],
      ]
    : [];
  const globalLinks: [string, string][] = [
    ['Audit log', project ? `/audit?project=${project}` : '/audit'],
    ...(isAdmin(session)
      ? ([
          ['Projects', '/projects'],
          ['Admin tokens', '/tokens'],
          ['Users and roles', '/users'],
        ] as [string, string][])
      : []),
  ];

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              <RouterNavLink to="/" style={{ color: 'inherit', textDecoration: 'none' }}>
                Dimmer
              </RouterNavLink>
            </Title>
            <Select
              aria-label="Project"
              placeholder="Project"
              size="xs"
              w={{ base: 120, sm: 160 }}
              data={projects.map((p) => ({ value: p.key, label: p.name || p.key }))}
              value={project ?? null}
              onChange={(value) => value && navigate(`/projects/${value}/flags`)}
              allowDeselect={false}
            />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" data-testid="signed-in-as">
              {session?.actor} · {session?.role}
            </Text>
            <ActionIcon
              variant="default"
              onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
              aria-label={scheme === 'dark' ? 'Use light theme' : 'Use dark theme'}
            >
              <span aria-hidden>{scheme === 'dark' ? '☀' : '☾'}</span>
            </ActionIcon>
            <Button variant="default" size="xs" visibleFrom="sm" onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in') })}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        <ScrollArea>
          {project && (
            <Text size="xs" c="dimmed" tt="uppercase" fw={700} px="sm" pt="xs">
              {project}
            </Text>
          )}
          {projectLinks.map(([label, to]) => (
            <NavLink key={to} component={RouterNavLink} to={to} label={label} />
          ))}
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} px="sm" pt="md">
            Everywhere
          </Text>
          {globalLinks.map(([label, to]) => (
            <NavLink key={to} component={RouterNavLink} to={to} label={label} end />
          ))}
          <NavLink
            hiddenFrom="sm"
            component="button"
            label={`Sign out (${session?.actor ?? ''})`}
            onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in') })}
          />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <VisuallyHidden>
          <a href="#content">Skip to content</a>
        </VisuallyHidden>
        <div id="content">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
