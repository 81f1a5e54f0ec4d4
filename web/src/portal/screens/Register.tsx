// Self-service registration (rules.md §1) with live eligibility: as the ID number, form of employment
// and declarations are filled in, POST /eligibility/preview answers every failed rule (nothing written);
// the form is sent to POST /portal/register only when it passes its own checks.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, Result, Select, Spin } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { FailuresAlert } from '../../lib/FailuresAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { Screen } from './Screen.tsx';

interface Coded {
  code: string;
  zh: string;
  en: string;
}

interface Eligibility {
  eligible: boolean;
  failures: { code: string; field?: string; message_zh: string; message_en: string }[];
  birthDate?: string;
  gender?: string;
  retirementGroup?: string;
  alreadyRegistered?: boolean;
}

interface Values {
  idType: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  idNumber?: string;
  name?: string;
  gender?: 'male' | 'female';
  birthDate?: Dayjs;
  retirementGroup?: string;
  phone?: string;
  districtCode?: string;
  employmentForm?: string;
  occupation?: string;
  address?: string;
  civilCapacityDeclared?: boolean;
  noUnitAccountElsewhereDeclared?: boolean;
  password?: string;
  confirm?: string;
}

function personOf(v: Values) {
  return {
    idType: v.idType,
    idNumber: (v.idNumber ?? '').trim().toUpperCase(),
    ...(v.idType !== 'resident'
      ? {
          ...(v.gender ? { gender: v.gender } : {}),
          ...(v.birthDate ? { birthDate: v.birthDate.format('YYYY-MM-DD') } : {}),
        }
      : {}),
    ...(v.retirementGroup ? { retirementGroup: v.retirementGroup } : {}),
    employmentForm: v.employmentForm ?? '',
    civilCapacityDeclared: v.civilCapacityDeclared ?? false,
    noUnitAccountElsewhereDeclared: v.noUnitAccountElsewhereDeclared ?? false,
  };
}

export default function Register() {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const districts = useApi(
    (signal) => api<{ items: Coded[] }>('GET', '/reference/districts', { signal }),
    [],
  );
  const codes = useApi(
    (signal) =>
      api<{ employmentForms: Coded[]; retirementGroups: Coded[] }>('GET', '/reference/codes', { signal }),
    [],
  );
  const [eligibility, setEligibility] = useState<Eligibility>();
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const sequence = useRef(0);
  const idType = Form.useWatch('idType', form);
  const gender = Form.useWatch('gender', form);

  const check = useCallback((values: Values) => {
    clearTimeout(timer.current);
    if (!values.idNumber || values.idNumber.trim().length < 6 || !values.employmentForm) {
      setEligibility(undefined);
      return;
    }
    timer.current = setTimeout(() => {
      const mine = ++sequence.current;
      setChecking(true);
      api<Eligibility>('POST', '/eligibility/preview', { body: personOf(values) })
        .then((e) => {
          if (mine === sequence.current) {
            setEligibility(e);
            setCheckError(undefined);
          }
        })
        .catch((e: unknown) => {
          if (mine === sequence.current) setCheckError(e);
        })
        .finally(() => {
          if (mine === sequence.current) setChecking(false);
        });
    }, 350);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const register = useSubmit(
    useCallback(
      (v: Values) =>
        api<{ depositorId: string; name: string; idNumberMasked: string }>('POST', '/portal/register', {
          body: {
            ...personOf(v),
            name: (v.name ?? '').trim(),
            phone: (v.phone ?? '').trim(),
            districtCode: v.districtCode,
            ...(v.address?.trim() ? { address: v.address.trim() } : {}),
            ...(v.occupation?.trim() ? { occupation: v.occupation.trim() } : {}),
            password: v.password,
          },
        }),
      [],
    ),
  );

  if (register.result) {
    const idNumber = (form.getFieldValue('idNumber') as string | undefined)?.trim().toUpperCase();
    return (
      <Screen title={t('登记成功', 'Registered')} back={false}>
        <Result
          status="success"
          title={t(`${register.result.name}，您已登记成功`, `${register.result.name}, you are registered`)}
          subTitle={t(
            '请登录后签订缴存协议、选择缴存方式。',
            'Log in to sign the agreement and choose how to deposit.',
          )}
          extra={
            <Button type="primary" onClick={() => navigate('/portal/login', { state: { idNumber } })}>
              {t('去登录', 'Log in')}
            </Button>
          }
        />
      </Screen>
    );
  }

  const label = (c: Coded) => (lang === 'zh' ? c.zh : c.en);
  const loading = districts.loading || codes.loading;
  return (
    <Screen title={t('在线登记', 'Register online')} back={false} error={districts.error ?? codes.error}>
      <Card>
        {loading ? (
          <Spin />
        ) : (
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ idType: 'resident' }}
            onValuesChange={(_changed, all) => check(all)}
            onFinish={register.submit}
            scrollToFirstError
          >
            <Form.Item name="idType" label={t('证件类型', 'ID type')}>
              <Select
                options={[
                  { value: 'resident', label: t('居民身份证', 'Resident ID card') },
                  {
                    value: 'hk_macao_taiwan_permit',
                    label: t('港澳台居民居住证', 'HK/Macao/Taiwan residence permit'),
                  },
                  {
                    value: 'foreign_permanent',
                    label: t('外国人永久居留身份证', 'Foreign permanent residence ID'),
                  },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="idNumber"
              label={t('证件号码', 'ID number')}
              rules={[
                { required: true, whitespace: true, message: t('请输入证件号码', 'Enter your ID number') },
                ...(idType === 'resident' || idType === undefined
                  ? [
                      {
                        pattern: /^(\d{17}[\dXx]|\d{15})$/,
                        message: t('应为18位（末位可为X）', '18 characters (the last may be X)'),
                      },
                    ]
                  : []),
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            {idType !== undefined && idType !== 'resident' && (
              <>
                <Form.Item
                  name="gender"
                  label={t('性别', 'Gender')}
                  rules={[{ required: true, message: t('请选择性别', 'Choose') }]}
                >
                  <Select
                    options={[
                      { value: 'male', label: t('男', 'Male') },
                      { value: 'female', label: t('女', 'Female') },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  name="birthDate"
                  label={t('出生日期', 'Date of birth')}
                  rules={[{ required: true, message: t('请选择日期', 'Pick a date') }]}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </>
            )}
            {(gender === 'female' || eligibility?.gender === 'female') && (
              <Form.Item name="retirementGroup" label={t('退休年龄类别', 'Retirement group')}>
                <Select
                  allowClear
                  options={(codes.data?.retirementGroups ?? [])
                    .filter((g) => g.code !== 'male')
                    .map((g) => ({ value: g.code, label: label(g) }))}
                />
              </Form.Item>
            )}
            <Form.Item
              name="name"
              label={t('姓名', 'Name')}
              rules={[{ required: true, whitespace: true, message: t('请输入姓名', 'Enter your name') }]}
            >
              <Input autoComplete="name" maxLength={50} />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('手机号码（接收验证码）', 'Mobile phone (for login codes)')}
              rules={[
                {
                  required: true,
                  pattern: /^1[3-9]\d{9}$/,
                  message: t('请输入11位手机号码', 'An 11-digit mobile number'),
                },
              ]}
            >
              <Input inputMode="tel" autoComplete="tel" maxLength={11} />
            </Form.Item>
            <Form.Item
              name="districtCode"
              label={t('所在区（旗、县）', 'District')}
              rules={[{ required: true, message: t('请选择', 'Choose one') }]}
            >
              <Select
                options={(districts.data?.items ?? []).map((d) => ({ value: d.code, label: label(d) }))}
              />
            </Form.Item>
            <Form.Item
              name="employmentForm"
              label={t('灵活就业形式', 'Form of flexible employment')}
              rules={[{ required: true, message: t('请选择', 'Choose one') }]}
            >
              <Select
                options={(codes.data?.employmentForms ?? []).map((c) => ({ value: c.code, label: label(c) }))}
              />
            </Form.Item>
            <Form.Item name="occupation" label={t('职业（可选）', 'Occupation (optional)')}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="address" label={t('住址（可选）', 'Address (optional)')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="civilCapacityDeclared"
              valuePropName="checked"
              rules={[
                {
                  validator: async (_r, v) => {
                    if (!v) throw new Error(t('须声明', 'Required'));
                  },
                },
              ]}
            >
              <Checkbox>
                {t('本人声明具有完全民事行为能力', 'I declare that I have full civil capacity')}
              </Checkbox>
            </Form.Item>
            <Form.Item
              name="noUnitAccountElsewhereDeclared"
              valuePropName="checked"
              rules={[
                {
                  validator: async (_r, v) => {
                    if (!v) throw new Error(t('须声明', 'Required'));
                  },
                },
              ]}
            >
              <Checkbox>
                {t(
                  '本人声明未在任何城市参加单位住房公积金缴存',
                  'I declare that I have no employer HPF account in any city',
                )}
              </Checkbox>
            </Form.Item>

            <div aria-live="polite" data-testid="eligibility" style={{ marginBottom: 16 }}>
              {checking && <Spin size="small" />} <ErrorAlert error={checkError} />
              {eligibility &&
                (eligibility.eligible ? (
                  <Alert
                    type="success"
                    showIcon
                    title={t('符合参加条件', 'You may join')}
                    description={
                      eligibility.birthDate &&
                      t(`出生日期 ${eligibility.birthDate}`, `Born ${eligibility.birthDate}`)
                    }
                  />
                ) : (
                  <FailuresAlert
                    title={t('暂不符合参加条件', 'Not yet eligible')}
                    failures={eligibility.failures}
                  >
                    {eligibility.alreadyRegistered && (
                      <li>
                        {t(
                          '该证件号码已登记，请直接登录',
                          'This ID number is already registered: log in instead',
                        )}
                      </li>
                    )}
                  </FailuresAlert>
                ))}
            </div>

            <Form.Item
              name="password"
              label={t('设置登录密码（至少8位）', 'Choose a password (8+ characters)')}
              rules={[
                { required: true, min: 8, max: 128, message: t('密码至少 8 位', 'At least 8 characters') },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('确认密码', 'Confirm the password')}
              dependencies={['password']}
              rules={[
                { required: true, message: t('请再次输入密码', 'Enter it again') },
                ({ getFieldValue }) => ({
                  validator: async (_r, v) => {
                    if (v && v !== getFieldValue('password'))
                      throw new Error(t('两次密码不一致', 'The passwords differ'));
                  },
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <ErrorAlert error={register.error} />
            <Button type="primary" htmlType="submit" block loading={register.sending}>
              {t('提交登记', 'Register')}
            </Button>
          </Form>
        )}
      </Card>
      <p style={{ textAlign: 'center', marginTop: 16 }}>
        {t('已有账户？', 'Already registered?')} <Link to="/portal/login">{t('登录', 'Log in')}</Link>
      </p>
    </Screen>
  );
}
