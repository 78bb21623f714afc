/**
 * The small study the editor-feature tests share: one guide with roles, sections
 * and a follow-up, one codebook with a hierarchy, linked questions and a
 * deprecated code. Each test adds its own transcripts (and more files) after it.
 */
import { fixture, type Fixture } from '../../support/fixture';

export const GUIDE = `//- /ppp.guide.yaml
id: ppp
title: General interviews
roles:
  swr: Social worker
  tm: Team manager
sections:
  - id: background
    title: Background
    questions:
      - id: job-title
        text: What is your job title?
        prompts:
          - How long in post?
      - id: experience
        text: What is your experience of pre-proceedings meetings?
  - id: the-meeting
    title: The meeting
    questions:
      - id: reasons
        text: What were the reasons for the meeting?
        followups:
          - id: whose-idea
            text: Whose idea was it?
      - id: benefits
        text: What were the benefits?
  - id: managers
    title: For team managers
    roles: [tm]
    questions:
      - id: oversight
        text: How do you oversee the process?
`;

export const CODEBOOK = `//- /themes.codebook.yaml
codes:
  - id: benefit
    label: Benefits of the process
    description: Any advantage the interviewee sees.
    whenToUse: The interviewee names a gain.
    whenNotToUse: Benefits of court proceedings.
    example: "It gave mum a wake-up call."
    questions: [benefits]
    children:
      - id: family
        label: Benefits for the family
      - id: child
        label: Benefits for the child
  - id: aim
    label: Aims of the meeting
    questions: [reasons]
    children:
      - id: warning
        label: A warning
  - id: role
    label: Roles in the process
    children:
      - id: la-lawyer
        label: The local-authority lawyer
  - id: lawyer-role
    label: Role of the lawyer
    deprecated: true
    replacedBy: role/la-lawyer
`;

/** The shared guide and codebook followed by `files` (a fixture string with `//-` headers). */
export function study(files: string): Fixture {
  return fixture(GUIDE + CODEBOOK + files);
}
