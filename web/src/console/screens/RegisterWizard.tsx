// Counter registration as a wizard (rules.md §1–2): the person → the eligibility result with every failed
// rule → register → the agreement (prepare, read, sign) → open the flexible account.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Steps,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { labelOf, useReference } from '../reference.ts';
import { isResidentIdNumber, PHONE } from '../validation.ts';
import {
  AgreementTermsFields,
  AgreementText,
  agreementRequest,
  type AgreementValues,
  type PreparedAgreement,
} from '../agreement-terms.tsx';

interface PersonValues {
  idType: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  idNumber: string;
  name: string;
  phone: string;
  districtCode: string;
  employmentForm: string;
  occupation?: string;
  address?: string;
  /** The depositor's first portal password (optional; they can also be given one later). */
  password?: string;
  gender?: 'male' | 'female';
  birthDate?: Dayjs;
  retirementGroup?: string;
  civilCapacityDeclared?: boolean;
  noUnitAccountElsewhereDeclared?: boolean;
}

interface Failure {
  code: string;
  field?: string;
  message_zh: string;
  message_en: string;
}

interface Registered {
  depositorId: string;
  name: string;
  idNumberMasked: string;
}

interface Opened {
  accountId: string;
  accountNumber: string;
  openedOn: string;
  agreementNumber: string;
}

function personBody(v: PersonValues, forPreview: boolean) {
  const base = {
    idType: v.idType,
    idNumber: v.idNumber.trim().toUpperCase(),
    employmentForm: v.employmentForm,
    civilCapacityDeclared: !!v.civilCapacityDeclared,
    noUnitAccountElsewhereDeclared: !!v.noUnitAccountElsewhereDeclared,
    ...(v.gender ? { gender: v.gender } : {}),
    ...(v.birthDate ? { birthDate: v.birthDate.format('YYYY-MM-DD') } : {}),
    ...(v.retirementGroup ? { retirementGroup: v.retirementGroup } : {}),
  };
  if (forPreview) return base;
  return {
    ...base,
    name: v.name.trim(),
    phone: v.phone.trim(),
    districtCode: v.districtCode,
    ...(v.occupation?.trim() ? { occupation: v.occupation.trim() } : {}),
    ...(v.address?.trim() ? { address: v.address.trim() } : {}),
    ...(v.password ? { password: v.password } : {}),
  };
}

function Wizard({ onRestart }: { onRestart: () => void }) {
  const { t, lang } = useLang();
  const reference = useReference();
  const navigate = useNavigate();
  const [personForm] = Form.useForm<PersonValues>();
  const [agreementForm] = Form.useForm<AgreementValues>();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [person, setPerson] = useState<PersonValues>();
  const [eligibility, setEligibility] = useState<{ eligible: boolean; failures: Failure[] }>();
  const [registered, setRegistered] = useState<Registered>();
  const [prepared, setPrepared] = useState<PreparedAgreement>();
  const [signerName, setSignerName] = useState('');
  const [signed, setSigned] = useState(false);
  const [opened, setOpened] = useState<Opened>();
  const idType = Form.useWatch('idType', personForm);
  const depositMode = Form.useWatch('depositMode', agreementForm);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const checkEligibility = (values: PersonValues) =>
    run(async () => {
      setPerson(values);
      const result = await call<{ eligible: boolean; failures: Failure[] }>(
        'POST',
        '/eligibility/preview',
        personBody(values, true),
      );
      setEligibility(result);
      setStep(1);
    });

  const register = () =>
    run(async () => {
      if (!person) return;
      const result = await call<Registered>('POST', '/depositors', personBody(person, false));
      setRegistered(result);
      setSignerName(result.name);
      setStep(2);
    });

  const prepare = (values: AgreementValues) =>
    run(async () => {
      if (!registered) return;
      const result = await call<PreparedAgreement>(
        'POST',
        `/depositors/${registered.depositorId}/agreement`,
        agreementRequest(values),
      );
      setPrepared(result);
    });

  const sign = () =>
    run(async () => {
      if (!prepared) return;
      await call('POST', `/agreements/${prepared.agreementId}/sign`, {
        textSha256: prepared.textSha256,
        signerName: signerName.trim(),
      });
      setSigned(true);
      setStep(3);
    });

  const open = () =>
    run(async () => {
      if (!registered) return;
      setOpened(await call<Opened>('POST', `/depositors/${registered.depositorId}/accounts`));
    });

  const restart = onRestart;

  const required = (zh: string, en: string) => ({ required: true, message: t(zh, en) });

  return (
    <Page title={t('开户登记', 'Registration')}>
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          items={[
            { title: t('登记信息', 'Person') },
            { title: t('资格审核', 'Eligibility') },
            { title: t('签订协议', 'Agreement') },
            { title: t('开立账户', 'Open account') },
          ]}
        />
        <ErrorAlert error={error} />

        {step === 0 && (
          <Form<PersonValues>
            form={personForm}
            name="register-person"
            layout="vertical"
            initialValues={{ idType: 'resident', ...person }}
            onFinish={checkEligibility}
          >
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  name="idType"
                  label={t('证件类型', 'ID type')}
                  rules={[required('请选择', 'Choose one')]}
                >
                  <Select
                    options={[
                      { value: 'resident', label: t('居民身份证', 'Resident ID card') },
                      {
                        value: 'hk_macao_taiwan_permit',
                        label: t('港澳台居民居住证', 'HK/Macao/Taiwan permit'),
                      },
                      {
                        value: 'foreign_permanent',
                        label: t('外国人永久居留身份证', 'Foreign permanent residence'),
                      },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="idNumber"
                  label={t('证件号码', 'ID number')}
                  rules={[
                    required('请输入证件号码', 'Enter the ID number'),
                    {
                      validator: (_, value: string | undefined) =>
                        !value || idType === 'foreign_permanent' || isResidentIdNumber(value)
                          ? Promise.resolve()
                          : Promise.reject(
                              new Error(t('证件号码格式或校验位错误', 'Not a valid 18-character ID number')),
                            ),
                    },
                  ]}
                >
                  <Input autoComplete="off" maxLength={30} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="name"
                  label={t('姓名', 'Name')}
                  rules={[required('请输入姓名', 'Enter the name'), { whitespace: true, max: 50 }]}
                >
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              {idType === 'foreign_permanent' && (
                <>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name="gender"
                      label={t('性别', 'Gender')}
                      rules={[required('请选择', 'Choose one')]}
                    >
                      <Select
                        options={[
                          { value: 'male', label: t('男', 'Male') },
                          { value: 'female', label: t('女', 'Female') },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name="birthDate"
                      label={t('出生日期', 'Date of birth')}
                      rules={[required('请选择', 'Choose a date')]}
                    >
                      <DatePicker style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </>
              )}
              <Col xs={24} md={8}>
                <Form.Item
                  name="retirementGroup"
                  label={t('退休年龄组（女职工选填）', 'Retirement group (women)')}
                >
                  <Select
                    allowClear
                    options={reference.data?.retirementGroups.map((g) => ({ value: g.code, label: g[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="phone"
                  label={t('手机号码', 'Mobile phone')}
                  rules={[
                    required('请输入手机号码', 'Enter the mobile number'),
                    { pattern: PHONE, message: t('应为 11 位手机号码', 'An 11-digit mobile number') },
                  ]}
                >
                  <Input maxLength={11} inputMode="numeric" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="districtCode"
                  label={t('所属区县', 'District')}
                  rules={[required('请选择区县', 'Choose the district')]}
                >
                  <Select
                    options={reference.data?.districts.map((d) => ({ value: d.code, label: d[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="employmentForm"
                  label={t('就业形式', 'Form of employment')}
                  rules={[required('请选择就业形式', 'Choose the form of employment')]}
                >
                  <Select
                    options={reference.data?.employmentForms.map((d) => ({ value: d.code, label: d[lang] }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="occupation" label={t('职业', 'Occupation')} rules={[{ max: 50 }]}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col xs={24} md={16}>
                <Form.Item name="address" label={t('联系地址', 'Address')} rules={[{ max: 200 }]}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="password"
                  label={t('网上服务初始密码（选填）', 'Initial portal password (optional)')}
                  extra={t('至少 8 位，由缴存人本人输入', 'At least 8 characters, typed by the depositor')}
                  rules={[{ min: 8, max: 128 }]}
                >
                  <Input.Password maxLength={128} autoComplete="new-password" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="civilCapacityDeclared" valuePropName="checked">
              <Checkbox>{t('本人声明具有完全民事行为能力', 'I declare full civil capacity')}</Checkbox>
            </Form.Item>
            <Form.Item name="noUnitAccountElsewhereDeclared" valuePropName="checked">
              <Checkbox>
                {t(
                  '本人声明未在其他单位建立住房公积金账户',
                  'I declare I have no unit housing-fund account elsewhere',
                )}
              </Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('检查开户资格', 'Check eligibility')}
            </Button>
          </Form>
        )}

        {step === 1 && eligibility && person && (
          <>
            {eligibility.eligible ? (
              <Result
                status="success"
                title={t('符合开户条件', 'Eligible')}
                subTitle={`${person.name} · ${labelOf(reference.data?.employmentForms, person.employmentForm, lang)}`}
              />
            ) : (
              <Alert
                type="warning"
                showIcon
                role="alert"
                title={t(
                  `不符合开户条件（${eligibility.failures.length} 项）`,
                  `Not eligible (${eligibility.failures.length} reasons)`,
                )}
                description={
                  <ul style={{ margin: 0, paddingLeft: 20 }}>
                    {eligibility.failures.map((f) => (
                      <li key={f.code}>
                        {lang === 'zh' ? f.message_zh : f.message_en}{' '}
                        <Typography.Text type="secondary">[{f.code}]</Typography.Text>
                      </li>
                    ))}
                  </ul>
                }
                style={{ marginBottom: 16 }}
              />
            )}
            <Space>
              <Button onClick={() => setStep(0)}>{t('返回修改', 'Back to edit')}</Button>
              {eligibility.eligible && (
                <Button type="primary" onClick={register} loading={busy}>
                  {t('确认登记', 'Register')}
                </Button>
              )}
            </Space>
          </>
        )}

        {step === 2 && registered && (
          <>
            <Descriptions
              size="small"
              style={{ marginBottom: 16 }}
              items={[
                { label: t('缴存人', 'Depositor'), children: registered.name },
                { label: t('证件号码', 'ID number'), children: registered.idNumberMasked },
                { label: t('编号', 'Number'), children: registered.depositorId },
              ]}
            />
            {!prepared ? (
              <Form<AgreementValues>
                form={agreementForm}
                name="register-agreement"
                layout="vertical"
                initialValues={{ depositMode: 'monthly', debitDay: 5 }}
                onFinish={prepare}
              >
                <AgreementTermsFields depositMode={depositMode} />
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('生成协议文本', 'Prepare the agreement')}
                </Button>
              </Form>
            ) : (
              <>
                <AgreementText prepared={prepared} maxHeight={320} />
                <Space wrap>
                  <label htmlFor="signer-name">{t('签署人', 'Signer')}</label>
                  <Input
                    id="signer-name"
                    value={signerName}
                    onChange={(e) => setSignerName(e.target.value)}
                    style={{ width: 200 }}
                    status={signerName.trim() ? undefined : 'error'}
                  />
                  <Button onClick={() => setPrepared(undefined)}>{t('修改协议', 'Change terms')}</Button>
                  <Button type="primary" onClick={sign} loading={busy} disabled={!signerName.trim()}>
                    {t('确认签署', 'Sign')}
                  </Button>
                </Space>
              </>
            )}
          </>
        )}

        {step === 3 && registered && signed && (
          <>
            {opened ? (
              <Result
                status="success"
                title={t('账户已开立', 'Account opened')}
                subTitle={`${t('账号', 'Account')} ${opened.accountNumber} · ${t('协议', 'Agreement')} ${opened.agreementNumber} · ${opened.openedOn}`}
                extra={[
                  <Button
                    key="deposit"
                    type="primary"
                    onClick={() => navigate(`/console/deposit?account=${opened.accountId}`)}
                  >
                    {t('办理缴存', 'Take a deposit')}
                  </Button>,
                  <Button
                    key="profile"
                    onClick={() => navigate(`/console/depositors/${registered.depositorId}`)}
                  >
                    {t('查看缴存人', 'View depositor')}
                  </Button>,
                  <Button key="again" onClick={restart}>
                    {t('继续登记', 'Register another')}
                  </Button>,
                ]}
              />
            ) : (
              <Result
                status="info"
                title={t('协议已签署', 'Agreement signed')}
                subTitle={t('确认后开立灵活就业缴存账户。', 'Open the flexible-employment account.')}
                extra={
                  <Button type="primary" onClick={open} loading={busy}>
                    {t('开立账户', 'Open account')}
                  </Button>
                }
              />
            )}
          </>
        )}
      </Card>
    </Page>
  );
}

/** A fresh wizard (new forms, nothing remembered) for each registration. */
export default function RegisterWizard() {
  const [round, setRound] = useState(0);
  return <Wizard key={round} onRestart={() => setRound((n) => n + 1)} />;
}
