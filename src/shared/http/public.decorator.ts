import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'public-route';
export const PASSWORD_CHANGE_ALLOWED = 'password-change-allowed';

/** The route needs no login (health, login itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The route stays open to a session that must change its password first (change password, logout, me). */
export const AllowedBeforePasswordChange = (): MethodDecorator & ClassDecorator => SetMetadata(PASSWORD_CHANGE_ALLOWED, true);
