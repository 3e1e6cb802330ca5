package dev.signet.spring.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** An application that declares no security chain: the starter's default one applies. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WhoamiController.class)
public class DefaultChainApp {}
