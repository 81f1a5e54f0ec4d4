// Finds an account at the counter: type a name, ID number or account number, choose the depositor,
// then (when they have several) the account. Hands back the account id.
import { useEffect, useRef, useState } from 'react';
import { Select, Space, Spin, Tag } from 'antd';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import { call, query } from './call.ts';
import type { DepositorRow } from './screens/DepositorSearch.tsx';
import type { AccountSummary, DepositorProfile } from './screens/DepositorDetail.tsx';

export interface PickedAccount {
  accountId: string;
  depositorId?: string;
  accountNumber: string;
  name: string;
  state: string;
  balance: string;
}

export function AccountPicker({
  onPick,
  id,
  label,
}: {
  onPick: (account: PickedAccount | null) => void;
  id?: string;
  /** The accessible name when no <label> points at the field. */
  label?: string;
}) {
  const { t } = useLang();
  const [options, setOptions] = useState<DepositorRow[]>([]);
  const [searching, setSearching] = useState(false);
  const [profile, setProfile] = useState<DepositorProfile>();
  const [accountId, setAccountId] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (text: string) => {
    clearTimeout(timer.current);
    if (text.trim().length < 2) return;
    timer.current = setTimeout(() => {
      setSearching(true);
      call<{ items: DepositorRow[] }>('GET', '/depositors' + query({ query: text.trim(), limit: 10 }))
        .then((r) => setOptions(r.items))
        .catch(() => setOptions([]))
        .finally(() => setSearching(false));
    }, 300);
  };

  const choose = (account: AccountSummary, p: DepositorProfile) => {
    setAccountId(account.accountId);
    onPick({
      accountId: account.accountId,
      depositorId: p.depositorId,
      accountNumber: account.accountNumber,
      name: p.name,
      state: account.state,
      balance: account.balance,
    });
  };

  const pickDepositor = async (depositorId: string | undefined) => {
    setProfile(undefined);
    setAccountId(undefined);
    onPick(null);
    if (!depositorId) return;
    const p = await call<DepositorProfile>('GET', `/depositors/${depositorId}`);
    setProfile(p);
    const first = p.accounts.find((a) => a.state === '01') ?? p.accounts[0];
    if (first) choose(first, p);
  };

  return (
    <Space wrap>
      <Select
        id={id}
        aria-label={label}
        showSearch={{ filterOption: false, onSearch: search }}
        allowClear
        style={{ width: 380 }}
        placeholder={t('输入姓名、证件号码或账号', 'Type a name, ID number or account number')}
        notFoundContent={searching ? <Spin size="small" /> : t('无匹配', 'No match')}
        onChange={(v: string | undefined) => void pickDepositor(v)}
        options={options.map((o) => ({
          value: o.depositorId,
          label: `${o.name} · ${o.accountNumber ?? t('未开户', 'no account')} · ${o.idNumberMasked}`,
        }))}
      />
      {profile && accountId && (
        <Tag color="blue" data-testid="picked-account">
          {profile.accounts.find((a) => a.accountId === accountId)?.accountNumber} ·{' '}
          {formatYuan(profile.accounts.find((a) => a.accountId === accountId)?.balance)}
        </Tag>
      )}
      {profile && profile.accounts.length > 1 && (
        <Select
          aria-label={t('选择账户', 'Choose the account')}
          style={{ width: 300 }}
          value={accountId}
          onChange={(v: string) => {
            const account = profile.accounts.find((a) => a.accountId === v);
            if (account) choose(account, profile);
          }}
          options={profile.accounts.map((a) => ({
            value: a.accountId,
            label: `${a.accountNumber} · ${a.pool} · ${formatYuan(a.balance)}`,
          }))}
        />
      )}
    </Space>
  );
}
