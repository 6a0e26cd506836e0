// The frame around every signed-in screen: header with the brand, navigation and the user menu.
import { useState, type ReactNode } from 'react';
import { DropdownMenu } from 'radix-ui';
import { Link, useLocation } from './router.tsx';
import { ChangePasswordDialog, DeleteAccountDialog, ExportDataDialog, RevokeTokensDialog } from '../auth/AccountDialogs.tsx';
import { logOut } from '../auth/session.ts';
import './layout.css';

export function Layout(props: { email: string; children: ReactNode; fullBleed?: boolean }) {
  const [dialog, setDialog] = useState<'password' | 'tokens' | 'export' | 'delete' | null>(null);
  const { pathname } = useLocation();
  return (
    <div className="kf-app">
      <header className="kf-header">
        <Link to="/" className="kf-header__brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Keyflow
        </Link>
        <nav aria-label="Main" className="kf-header__nav">
          <Link to="/" aria-current={pathname === '/' ? 'page' : undefined}>
            Workflows
          </Link>
          <Link to="/runs" aria-current={pathname === '/runs' ? 'page' : undefined}>
            Runs
          </Link>
          <Link to="/connections" aria-current={pathname === '/connections' ? 'page' : undefined}>
            Keys
          </Link>
          <Link to="/costs" aria-current={pathname === '/costs' ? 'page' : undefined}>
            Costs
          </Link>
          <Link to="/activity" aria-current={pathname === '/activity' ? 'page' : undefined}>
            Activity
          </Link>
        </nav>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button type="button" className="kf-button kf-button--ghost kf-header__user" aria-label={`Account menu for ${props.email}`}>
              <span className="kf-avatar" aria-hidden="true">
                {props.email.slice(0, 1).toUpperCase()}
              </span>
              <span className="kf-header__email">{props.email}</span>
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="kf-menu" align="end" sideOffset={6}>
              <DropdownMenu.Label className="kf-menu__label">Signed in as {props.email}</DropdownMenu.Label>
              <DropdownMenu.Separator className="kf-menu__separator" />
              <DropdownMenu.Item className="kf-menu__item" onSelect={() => setDialog('password')}>
                Change password
              </DropdownMenu.Item>
              <DropdownMenu.Item className="kf-menu__item" onSelect={() => setDialog('tokens')}>
                Revoke all API tokens
              </DropdownMenu.Item>
              <DropdownMenu.Item className="kf-menu__item" onSelect={() => setDialog('export')}>
                Export my data
              </DropdownMenu.Item>
              <DropdownMenu.Item className="kf-menu__item" onSelect={() => setDialog('delete')}>
                Delete account
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="kf-menu__separator" />
              <DropdownMenu.Item className="kf-menu__item" onSelect={() => void logOut()}>
                Log out
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </header>
      <div className={props.fullBleed ? 'kf-main kf-main--full' : 'kf-main'}>{props.children}</div>
      <ChangePasswordDialog open={dialog === 'password'} onOpenChange={(o) => setDialog(o ? 'password' : null)} />
      <RevokeTokensDialog open={dialog === 'tokens'} onOpenChange={(o) => setDialog(o ? 'tokens' : null)} />
      <ExportDataDialog open={dialog === 'export'} onOpenChange={(o) => setDialog(o ? 'export' : null)} />
      <DeleteAccountDialog open={dialog === 'delete'} onOpenChange={(o) => setDialog(o ? 'delete' : null)} />
    </div>
  );
}
