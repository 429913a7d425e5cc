package dev.dimmer.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class DimmerApplication {

    public static void main(String[] args) {
        SpringApplication.run(DimmerApplication.class, args);
    }
}
