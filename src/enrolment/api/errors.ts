import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation-failed: a field is missing or malformed (problem+json with field errors)',
  401: 'not logged in, or the session ended',
  403: 'the role may not do this (business-account-only, institution-only, county-review-only, reports-only), or the business is closed in its window',
  404: 'class-not-found / record-not-found / restoration-not-found: absent or outside the caller’s jurisdiction',
  409: 'a concurrent change, or the state conflicts (child-already-in-class, class-graduating, restoration-decided)',
  412: 'stale-revision: If-Match did not match the current revision',
  413: 'the upload is too large',
  415: 'a file type that is not PDF, JPEG or PNG',
  422: 'a business rule refuses it (class-not-empty, promotion-target-occupied, graduation-grade, record-status, accident-leave-overdue, ...)',
};

/** The problem responses an enrolment endpoint can answer (RFC 9457, stable code, Chinese message). */
export const ApiProblems = (...statuses: number[]) => applyDecorators(...[401, ...statuses].map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'problem' })));
