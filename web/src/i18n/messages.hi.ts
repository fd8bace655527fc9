// The UI's Hindi messages: the base file and each feature's own, merged. Loaded on its own
// (i18n.tsx loadMessages) so that a phone fetches one language, not both.
import baseHi from './hi.json';
import surveyHi from '../features/survey/messages.hi.json';
import careHi from '../features/patients/messages.hi.json';
import careEditHi from '../features/patients/messages.edit.hi.json';
import teleHi from '../features/telemedicine/messages.hi.json';
import statsHi from '../features/telestats/messages.hi.json';
import chartsHi from '../features/analytics/messages.hi.json';
import maternalHi from '../features/maternal/messages.hi.json';
import placesHi from '../features/geo/messages.hi.json';
import responseHi from '../features/response-times/messages.hi.json';
import outboxHi from '../features/messages/messages.hi.json';
import fleetHi from '../features/ambulances/messages.hi.json';
import incomingHi from '../features/dispatch/messages.hi.json';
import helplineHi from '../features/helpline/messages.hi.json';
import grievancesHi from '../features/grievances/messages.hi.json';
import ashaHi from '../features/asha/messages.hi.json';
import kitchensHi from '../features/kitchens/messages.hi.json';
import registersHi from '../features/registers/messages.hi.json';
import schemesHi from '../features/schemes/messages.hi.json';

const hi = { ...baseHi, ...surveyHi, ...careHi, ...careEditHi, ...teleHi, ...statsHi, ...chartsHi, ...maternalHi, ...placesHi, ...responseHi, ...fleetHi, ...incomingHi, ...grievancesHi, ...helplineHi, ...outboxHi, ...ashaHi, ...kitchensHi, ...schemesHi, ...registersHi };
export default hi;
