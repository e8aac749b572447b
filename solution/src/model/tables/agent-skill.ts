import { int, key, lookup, table, text } from '../builders';

export const agentSkill = table({
  logicalName: 'swb_agentskill',
  entitySetName: 'swb_agentskills',
  name: ['Agent skill', "Compétence d'agent"],
  plural: ['Agent skills', "Compétences d'agent"],
  description: ['A skill an agent has, with proficiency.', "Une compétence d'un agent, avec son niveau."],
  ownership: 'organization',
  columns: [
    lookup('swb_agentid', 'systemuser', ['Agent', 'Agent'], ['Agent who has the skill.', 'Agent ayant la compétence.'], { required: 'required', searched: true }),
    text('swb_skillname', ['Skill', 'Compétence'], ['Skill name, matched case-insensitively.', 'Nom de la compétence, sans tenir compte de la casse.'], 100, { required: 'required' }),
    int('swb_proficiency', ['Proficiency', 'Niveau'], ['1 (novice) to 10 (expert).', '1 (débutant) à 10 (expert).'], 1, 10, { defaultValue: 5 }),
  ],
  alternateKeys: [key('swb_agentskill_agent_skill', ['Agent and skill', 'Agent et compétence'], ['swb_agentid', 'swb_skillname'])],
});
