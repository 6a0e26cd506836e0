export { serviceNameOf, serviceSettings } from './service-settings.ts';
