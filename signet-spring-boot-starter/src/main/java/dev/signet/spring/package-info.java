/**
 * Spring Boot 3 / Spring Security 6 auto-configuration: {@code signet.*} properties, {@link
 * dev.signet.spring.SignetConfigurer} for a chain of your own (as {@code oauth2ResourceServer()} is
 * added), {@code SCOPE_*} authorities, and Micrometer meters under {@code signet serve}'s names.
 */
package dev.signet.spring;
