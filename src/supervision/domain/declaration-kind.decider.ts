import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { type FieldError, conflict, invalid, notFound } from '../../shared/domain/domain-error.js';

/**
 * A kind of supervised change (异动类型, domain.md section 9): defined by the province, or by a
 * county the province delegated to (kind-delegation.decider.ts); it says whether the county
 * reviews (审核: approve or reject) or only acknowledges (阅知) a declaration of it, and which
 * fields and attachments a declaration must carry. A kind is retired, never edited: declarations
 * already made keep the definition they were made under.
 */
export const HANDLINGS = ['review', 'acknowledge'] as const;
export type Handling = (typeof HANDLINGS)[number];
export const HANDLING_LABEL: Record<Handling, string> = { review: '审核', acknowledge: '阅知' };

/** a field or an attachment a declaration of the kind carries */
export type KindItem = {
  key: string;
  label: string;
  required: boolean;
};

export type KindDefinition = {
  kindId: string;
  ownerLevel: 'province' | 'county';
  ownerDivision: string;
  name: string;
  handling: Handling;
  fields: KindItem[];
  attachments: KindItem[];
};

export type DeclarationKindEvent =
  | DomainEvent<'DeclarationKindDefined', KindDefinition & { definedAt: string }>
  | DomainEvent<'DeclarationKindRetired', { kindId: string; retiredAt: string }>;

export type DeclarationKindCommand = ({ type: 'DefineKind' } & KindDefinition & { at: string }) | { type: 'RetireKind'; at: string };

export interface DeclarationKindState extends KindDefinition {
  status: 'none' | 'active' | 'retired';
}

export const initialDeclarationKind: DeclarationKindState = { status: 'none', kindId: '', ownerLevel: 'province', ownerDivision: '', name: '', handling: 'review', fields: [], attachments: [] };

const KEY = /^[a-z][a-zA-Z0-9]{0,29}$/;

function checkItems(items: KindItem[], field: 'fields' | 'attachments', errors: FieldError[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!KEY.test(item.key)) errors.push({ field: `${field}[${i}].key`, code: 'invalid-key', message: '代码应以小写字母开头，由字母和数字组成（最多 30 位），如 newPrincipal' });
    if (seen.has(item.key)) errors.push({ field: `${field}[${i}].key`, code: 'duplicate-key', message: `代码“${item.key}”重复` });
    if (item.label.trim().length === 0 || item.label.length > 30) errors.push({ field: `${field}[${i}].label`, code: 'invalid-label', message: '名称应为 1-30 个字' });
    seen.add(item.key);
  });
  if (items.length > 20) errors.push({ field, code: 'too-many', message: '最多 20 项' });
}

export const declarationKindDecider: Decider<DeclarationKindCommand, DeclarationKindState, DeclarationKindEvent> = {
  initialState: initialDeclarationKind,

  decide(command, state) {
    switch (command.type) {
      case 'DefineKind': {
        if (state.status !== 'none') throw conflict('declaration-kind-exists', '该异动类型已存在');
        const errors: FieldError[] = [];
        if (command.name.trim().length === 0 || command.name.length > 30) errors.push({ field: 'name', code: 'invalid-name', message: '异动类型名称应为 1-30 个字' });
        checkItems(command.fields, 'fields', errors);
        checkItems(command.attachments, 'attachments', errors);
        if (errors.length > 0) throw invalid(errors, '异动类型定义有误，请按提示修改');
        const { type: _t, at, ...definition } = command;
        return [{ type: 'DeclarationKindDefined', data: { ...definition, name: definition.name.trim(), definedAt: at } }];
      }
      case 'RetireKind':
        if (state.status === 'none') throw notFound('declaration-kind-not-found', '异动类型不存在或不由本单位定义');
        if (state.status === 'retired') return [];
        return [{ type: 'DeclarationKindRetired', data: { kindId: state.kindId, retiredAt: command.at } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DeclarationKindDefined': {
        const { definedAt: _d, ...definition } = event.data;
        return { ...definition, status: 'active' };
      }
      case 'DeclarationKindRetired':
        return { ...state, status: 'retired' };
      default:
        return state;
    }
  },
};

export const declarationKindStream = (kindId: string): string => `declaration-kind-${kindId}`;
