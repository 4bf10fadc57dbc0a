#[test]
fn dump() {
    let f = std::env::var("DUMP").unwrap_or_default();
    if f.is_empty() { return; }
    let text = std::fs::read_to_string(&f).unwrap();
    match erdiag_ceconfig::parse_config(&text, None) {
        Ok(c) => {
            println!("vendor {:?} host {:?}", c.vendor, c.hostname);
            for i in &c.interfaces { println!("IF {:?}", i); }
            if let Some(b) = &c.bgp {
                println!("BGP as {:?} rid {:?} span {:?}", b.local_as, b.router_id, b.span);
                println!("  networks {:?}", b.networks);
                println!("  redist {:?}", b.redistribute);
                for n in &b.neighbors { println!("  N {:?}", n); }
            }
            for p in &c.prefix_lists { println!("PL {:?}", p); }
            for r in &c.route_maps { println!("RM {:?}", r); }
            for w in &c.warnings { println!("W {}", w); }
        }
        Err(e) => println!("ERR {e:?}"),
    }
}
