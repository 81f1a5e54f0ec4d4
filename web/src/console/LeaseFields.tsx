// The lease a rent withdrawal or a standing rent order is judged on (rules.md §5.1): landlord, address,
// contract number, period, monthly rent, public-rental tenancy and the no-own-housing declaration. The
// fields sit inside the caller's antd Form; leaseOf turns their values into the API's lease object.
import { Checkbox, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useLang } from '../lib/i18n.tsx';
import { amountRules, requiredRule } from '../lib/validators.ts';

export interface LeaseValues {
  landlordName: string;
  leaseAddress: string;
  contractNo: string;
  period: [Dayjs, Dayjs];
  monthlyRent: string;
  publicRental?: boolean;
  declaredNoHousing?: boolean;
}

export interface LeaseBody {
  landlordName: string;
  leaseAddress: string;
  leaseStart: string;
  leaseEnd: string;
  monthlyRent: string;
  contractNo: string;
  publicRental: boolean;
}

export function leaseOf(v: LeaseValues): LeaseBody {
  return {
    landlordName: v.landlordName.trim(),
    leaseAddress: v.leaseAddress.trim(),
    leaseStart: v.period[0].format('YYYY-MM-DD'),
    leaseEnd: v.period[1].format('YYYY-MM-DD'),
    monthlyRent: String(v.monthlyRent).trim(),
    contractNo: v.contractNo.trim(),
    publicRental: v.publicRental ?? false,
  };
}

export function LeaseFields() {
  const { t } = useLang();
  return (
    <>
      <Form.Item
        name="landlordName"
        label={t('出租人', 'Landlord')}
        rules={[requiredRule(t, '出租人', 'the landlord'), { max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="leaseAddress"
        label={t('租赁地址', 'Address')}
        rules={[requiredRule(t, '租赁地址', 'the address'), { max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="contractNo"
        label={t('合同编号', 'Contract number')}
        rules={[requiredRule(t, '合同编号', 'the contract number'), { max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="period"
        label={t('租期', 'Lease period')}
        rules={[
          { required: true, message: t('请选择租期', 'Choose the lease period') },
          {
            validator: async (_r, value: [Dayjs, Dayjs] | undefined) => {
              if (value && !value[1].isAfter(value[0]))
                throw new Error(t('结束日须晚于开始日', 'The end must be after the start'));
            },
          },
        ]}
      >
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="monthlyRent"
        label={t('月租金', 'Monthly rent')}
        rules={amountRules(t, { min: '0.01' })}
      >
        <Input inputMode="decimal" suffix={t('元', 'yuan')} />
      </Form.Item>
      <Form.Item name="publicRental" valuePropName="checked">
        <Checkbox>{t('公租房承租人', 'Public-rental tenant')}</Checkbox>
      </Form.Item>
      <Form.Item
        name="declaredNoHousing"
        valuePropName="checked"
        rules={[
          {
            validator: async (_r, value: unknown) => {
              if (value !== true)
                throw new Error(
                  t('须确认本人及配偶在本市无自有住房', 'The no-own-housing declaration is required'),
                );
            },
          },
        ]}
      >
        <Checkbox>
          {t('缴存人声明本人及配偶在本市无自有住房', 'The depositor declares no own housing in the city')}
        </Checkbox>
      </Form.Item>
    </>
  );
}
